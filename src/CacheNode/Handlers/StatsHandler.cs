using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>stats</c>: the node's counters.</summary>
internal sealed class StatsHandler(NodeContext context)
    : MessageHandler<StatsRequest>("stats", ProtocolJsonContext.Default.StatsRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, StatsRequest request, CancellationToken cancellationToken)
    {
        var runtime = context.RequireRuntime();
        var stats = context.Stats;
        var writeBehind = runtime.WriteBehindStats;
        var oldestDirty = writeBehind.OldestDirtySince is { } since ? (long)context.Time.GetElapsedTime(since).TotalMilliseconds : 0;
        return ValueTask.FromResult<OutgoingBody>(new StatsOk
        {
            NodeId = runtime.NodeId,
            Strategy = runtime.Strategy.Name,
            Database = runtime.Database.Name,
            Hits = stats.Hits,
            NegativeHits = stats.NegativeHits,
            Misses = stats.Misses,
            Fills = stats.Fills,
            CoalescedWaits = stats.CoalescedWaits,
            RejectedStaleFills = stats.RejectedStaleFills,
            EarlyRefreshes = stats.EarlyRefreshes,
            DbReads = stats.DbReads,
            DbWrites = stats.DbWrites,
            InvalidationsSent = stats.InvalidationsSent,
            InvalidationsReceived = stats.InvalidationsReceived,
            Entries = runtime.Cache.Count,
            Evictions = stats.Evictions,
            WriteBehindQueueDepth = writeBehind.QueueDepth,
            Flushed = stats.Flushed,
            FlushRetries = stats.FlushRetries,
            CoalescedWrites = stats.CoalescedWrites,
            RejectedWrites = stats.RejectedWrites,
            CacheServing = runtime.Cache.IsServing,
            BypassReads = stats.BypassReads,
            PeerFills = stats.PeerFills,
            FillsServed = stats.FillsServed,
            FillsServedFromCache = stats.FillsServedFromCache,
            HomeUnreachableReads = stats.HomeUnreachableReads,
            LeaseWaits = stats.LeaseWaits,
            PeerMessages = stats.PeerMessages,
            Forwarded = stats.Forwarded,
            DirtyOldestMs = oldestDirty,
            FlushLagP50Ms = stats.FlushLag.Percentile(0.5),
            FlushLagP99Ms = stats.FlushLag.Percentile(0.99),
            Backup = writeBehind.BackupDescription,
            BackupEntries = writeBehind.BackupEntries,
            BackupFailures = stats.BackupFailures,
            OrphanFlushed = stats.OrphanFlushed,
            RecoveredEntries = stats.RecoveredEntries,
            Recovering = writeBehind.Recovering,
        });
    }
}
