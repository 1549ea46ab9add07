using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary><c>stats</c>: asks the node for its counters.</summary>
internal sealed record StatsRequest;

/// <summary>The node's counters, in a fixed field order so replies are byte-for-byte comparable.</summary>
internal sealed record StatsOk : OutgoingBody
{
    protected override string MessageType => "stats_ok";

    [JsonPropertyName("node_id")] public required string NodeId { get; init; }
    [JsonPropertyName("strategy")] public required string Strategy { get; init; }
    [JsonPropertyName("database")] public required string Database { get; init; }
    [JsonPropertyName("hits")] public long Hits { get; init; }
    [JsonPropertyName("negative_hits")] public long NegativeHits { get; init; }
    [JsonPropertyName("misses")] public long Misses { get; init; }
    [JsonPropertyName("fills")] public long Fills { get; init; }
    [JsonPropertyName("coalesced_waits")] public long CoalescedWaits { get; init; }
    [JsonPropertyName("rejected_stale_fills")] public long RejectedStaleFills { get; init; }
    [JsonPropertyName("early_refreshes")] public long EarlyRefreshes { get; init; }
    [JsonPropertyName("db_reads")] public long DbReads { get; init; }
    [JsonPropertyName("db_writes")] public long DbWrites { get; init; }
    [JsonPropertyName("invalidations_sent")] public long InvalidationsSent { get; init; }
    [JsonPropertyName("invalidations_received")] public long InvalidationsReceived { get; init; }
    [JsonPropertyName("entries")] public long Entries { get; init; }
    [JsonPropertyName("evictions")] public long Evictions { get; init; }
    [JsonPropertyName("write_behind_queue_depth")] public long WriteBehindQueueDepth { get; init; }
    [JsonPropertyName("flushed")] public long Flushed { get; init; }
    [JsonPropertyName("flush_retries")] public long FlushRetries { get; init; }
    [JsonPropertyName("coalesced_writes")] public long CoalescedWrites { get; init; }
    [JsonPropertyName("rejected_writes")] public long RejectedWrites { get; init; }
    [JsonPropertyName("cache_serving")] public bool CacheServing { get; init; }
    [JsonPropertyName("bypass_reads")] public long BypassReads { get; init; }
    [JsonPropertyName("peer_fills")] public long PeerFills { get; init; }
    [JsonPropertyName("fills_served")] public long FillsServed { get; init; }
    [JsonPropertyName("fills_served_from_cache")] public long FillsServedFromCache { get; init; }
    [JsonPropertyName("home_unreachable_reads")] public long HomeUnreachableReads { get; init; }
    [JsonPropertyName("lease_waits")] public long LeaseWaits { get; init; }
    [JsonPropertyName("peer_messages")] public long PeerMessages { get; init; }
    [JsonPropertyName("forwarded")] public long Forwarded { get; init; }
    [JsonPropertyName("dirty_oldest_ms")] public long DirtyOldestMs { get; init; }
    [JsonPropertyName("flush_lag_p50_ms")] public long FlushLagP50Ms { get; init; }
    [JsonPropertyName("flush_lag_p99_ms")] public long FlushLagP99Ms { get; init; }
    [JsonPropertyName("backup")] public required string Backup { get; init; }
    [JsonPropertyName("backup_entries")] public long BackupEntries { get; init; }
    [JsonPropertyName("backup_failures")] public long BackupFailures { get; init; }
    [JsonPropertyName("orphan_flushed")] public long OrphanFlushed { get; init; }
    [JsonPropertyName("recovered_entries")] public long RecoveredEntries { get; init; }
    [JsonPropertyName("recovering")] public bool Recovering { get; init; }
}
