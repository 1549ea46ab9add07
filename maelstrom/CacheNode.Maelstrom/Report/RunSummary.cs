using System.Globalization;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Report;

/// <summary>The key figures of a run, computed once for the console, results.json and the HTML page.</summary>
internal sealed record RunSummary(
    int Operations,
    int Ok,
    int Fail,
    int Info,
    double Availability,
    IReadOnlyDictionary<string, (double P50, double P99, int Count)> LatencyByKind,
    double ClientNodeMessagesPerOp,
    double NodeNodeMessagesPerOp,
    double NodeServiceMessagesPerOp,
    double DatabaseRequestsPerOp,
    double? CacheHitRatio,
    long DroppedMessages)
{
    /// <summary>Time inside the node per request type (p50, p99 in ms): a cache hit never leaves the node.</summary>
    public IReadOnlyDictionary<string, (double P50, double P99)> NodeTimeByType { get; init; } = new Dictionary<string, (double, double)>();

    /// <summary>Invalidation messages (revoke, revoke_ok, release) per write or cas.</summary>
    public double InvalidationMessagesPerWrite { get; init; }

    /// <summary>Lease renewals (lease_request, lease_ok) per second of the run.</summary>
    public double LeaseMessagesPerSecond { get; init; }

    /// <summary>Requests forwarded to a key's home or owner and their replies, per client op.</summary>
    public double ForwardMessagesPerOp { get; init; }

    /// <summary>Fills from a key's home (fill, fill_ok) per client op.</summary>
    public double FillMessagesPerOp { get; init; }

    /// <summary>
    /// Volume-lease renewals (renew, renew_ok) per node per second: sent only when a read needs them, but
    /// as many per volume as the homes a node reads from, so they are reported beside the background.
    /// </summary>
    public double RenewMessagesPerNodePerSecond { get; init; }

    /// <summary>
    /// Messages between nodes a write or cas caused, per write: revocations and their acks (and the first
    /// design's releases), and the write forwarded to the key's home and its reply.
    /// </summary>
    public double MessagesPerWrite { get; init; }

    /// <summary>Holders revoked per write or cas (the nodes' <c>invalidations_sent</c>): what a write's messages should follow.</summary>
    public double HoldersPerWrite { get; init; }

    /// <summary>
    /// Messages no client operation asked for, per node per second: lease renewals (first design) and
    /// write-behind's replication heartbeats and copies (backup, recover and their replies).
    /// </summary>
    public double BackgroundMessagesPerNodePerSecond { get; init; }

    /// <summary>Each side of the run's partitions, and the time without one (runner-only: <see cref="Report.PartitionSides"/>).</summary>
    public IReadOnlyList<SideFigures> PartitionSides { get; init; } = [];

    /// <summary>Share of operations that got error 11 or no definite answer (timeout, indefinite error).</summary>
    public double Unavailable { get; init; }

    /// <summary>Slowest successful write or cas (ms).</summary>
    public double WorstWriteMs { get; init; }

    /// <summary>Write-behind replication messages (backup, recover and their replies) per second of the run.</summary>
    public double ReplicationMessagesPerSecond { get; init; }

    /// <summary>Writes and cas requests lin-kv received per client write or cas (write-behind coalescing shows here).</summary>
    public double DatabaseWritesPerWrite { get; init; }

    /// <summary>The worst node's p99 flush lag (write-behind: staged to in the database), from its stats.</summary>
    public long? FlushLagP99Ms { get; init; }

    /// <summary>Keys read straight from lin-kv at the end; null when not checked (with the reason).</summary>
    public int? KeysReadBack { get; init; }

    public string? ReadBackSkipped { get; init; }

    /// <summary>Keys whose database value is not the last write of the linearization.</summary>
    public int LostWrites { get; init; }

    public static RunSummary Of(RunResult result)
    {
        // The workload proper; the final reads are bookkeeping, not load.
        var ops = result.History.Where(r => !r.FinalRead).ToList();
        var ok = ops.Count(r => r.Status == OpStatus.Ok);
        var latency = ops.Where(r => r.Status == OpStatus.Ok)
            .GroupBy(r => result.Options.Workload == "echo" ? "echo" : r.Kind.ToString().ToLowerInvariant())
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    var sorted = g.Select(r => r.LatencyMs).Order().ToList();
                    return (Percentile.Of(sorted, 0.5), Percentile.Of(sorted, 0.99), sorted.Count);
                },
                StringComparer.Ordinal);
        var all = Math.Max(1, result.History.Count);
        long hits = 0, misses = 0;
        // Null unless some node flushed something: a lag of nothing is no figure.
        long? flushLag = null;
        foreach (var stats in result.NodeStats.Values)
        {
            hits += stats?["hits"]?.GetValue<long>() ?? 0;
            misses += stats?["misses"]?.GetValue<long>() ?? 0;
            if (stats?["flush_lag_p99_ms"]?.GetValue<long>() is { } lag && (stats["flushed"]?.GetValue<long>() ?? 0) > 0)
            {
                flushLag = Math.Max(flushLag ?? 0, lag);
            }
        }

        var messages = result.Messages;
        var byType = messages.BetweenNodesByType;
        long Sent(params string[] types) => types.Sum(type => byType.GetValueOrDefault(type));
        var writes = Math.Max(1, ops.Count(r => r.Kind is OpKind.Write or OpKind.Cas));
        var okWrites = ops.Where(r => r.Status == OpStatus.Ok && r.Kind is OpKind.Write or OpKind.Cas).Select(r => r.LatencyMs).ToList();
        var forwarded = byType.Where(p => p.Key is "read" or "read_ok" or "write" or "write_ok" or "cas" or "cas_ok" or "invalidate" or "invalidate_ok")
            .Sum(p => p.Value);
        var forwardedWrites = Sent("write", "write_ok", "cas", "cas_ok");
        var seconds = Math.Max(0.001, result.Duration.TotalSeconds);
        var holdersRevoked = result.NodeStats.Values.Sum(stats => stats?["invalidations_sent"]?.GetValue<long>() ?? 0);
        var nodes = Math.Max(1, result.Options.NodeCount);
        return new RunSummary(
            ops.Count,
            ok,
            ops.Count(r => r.Status == OpStatus.Fail),
            ops.Count(r => r.Status == OpStatus.Info),
            ops.Count == 0 ? 0 : (double)ok / ops.Count,
            latency,
            (double)messages.ClientNode / all,
            (double)messages.NodeNode / all,
            (double)messages.NodeService / all,
            (double)messages.NodeToService / all,
            hits + misses == 0 ? null : (double)hits / (hits + misses),
            messages.Dropped)
        {
            NodeTimeByType = result.NodeTimes
                .Where(p => p.Value.Count > 0)
                .ToDictionary(p => p.Key, p => (Percentile.Of(p.Value, 0.5), Percentile.Of(p.Value, 0.99)), StringComparer.Ordinal),
            InvalidationMessagesPerWrite = (double)Sent("revoke", "revoke_ok", "release") / writes,
            LeaseMessagesPerSecond = Sent("lease_request", "lease_ok") / Math.Max(0.001, result.Duration.TotalSeconds),
            ForwardMessagesPerOp = (double)forwarded / all,
            FillMessagesPerOp = (double)Sent("fill", "fill_ok") / all,
            RenewMessagesPerNodePerSecond = Sent("renew", "renew_ok") / seconds / nodes,
            MessagesPerWrite = (double)(Sent("revoke", "revoke_ok", "release") + forwardedWrites) / writes,
            HoldersPerWrite = (double)holdersRevoked / writes,
            PartitionSides = Report.PartitionSides.Of(result.PartitionSamples, result.History),
            BackgroundMessagesPerNodePerSecond = Sent("lease_request", "lease_ok", "backup", "backup_ok", "recover", "recover_ok") / seconds / nodes,
            Unavailable = ops.Count == 0 ? 0 : (double)ops.Count(r => r.Status == OpStatus.Info || r.ErrorCode == 11) / ops.Count,
            WorstWriteMs = okWrites.Count == 0 ? 0 : okWrites.Max(),
            ReplicationMessagesPerSecond = Sent("backup", "backup_ok", "recover", "recover_ok") / Math.Max(0.001, result.Duration.TotalSeconds),
            DatabaseWritesPerWrite = (double)result.DatabaseWrites / writes,
            FlushLagP99Ms = flushLag,
            KeysReadBack = result.DatabaseReadBack is { Checked: true } readBack ? readBack.KeysRead : null,
            ReadBackSkipped = result.DatabaseReadBack?.SkippedBecause,
            LostWrites = result.DatabaseReadBack?.LostKeys.Count ?? 0,
        };
    }

    public IEnumerable<string> Lines()
    {
        yield return F($"operations {Operations}: ok {Ok}, fail {Fail}, info {Info}; availability {Availability:P1}");
        foreach (var (kind, (p50, p99, count)) in LatencyByKind.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return F($"latency {kind,-5} p50 {p50,8:0.00} ms   p99 {p99,8:0.00} ms   ({count} ok)");
        }

        yield return F($"messages per op: client<->node {ClientNodeMessagesPerOp:0.00}, node<->node {NodeNodeMessagesPerOp:0.00}, node<->service {NodeServiceMessagesPerOp:0.00} ({DroppedMessages} dropped by partitions)");
        yield return F($"database requests per client op {DatabaseRequestsPerOp:0.000}; cache hit ratio {(CacheHitRatio is { } ratio ? ratio.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}");
        foreach (var (type, (p50, p99)) in NodeTimeByType.Where(p => p.Key is "read" or "write" or "cas").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return F($"time in node {type,-5} p50 {p50,8:0.000} ms   p99 {p99,8:0.000} ms");
        }

        yield return F($"between nodes: invalidation {InvalidationMessagesPerWrite:0.00} msgs per write, leases {LeaseMessagesPerSecond:0} msgs/s, forwarding {ForwardMessagesPerOp:0.00} msgs per op");
        yield return F($"unavailable (error 11 or indefinite) {Unavailable:P1}; slowest ok write {WorstWriteMs:0.0} ms");
        foreach (var side in PartitionSides)
        {
            string Ratio(double? ratio) => ratio is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
            yield return F($"{(side.Side == Report.PartitionSides.Unpartitioned ? "no partition" : "side " + side.Side)}: hit ratio {Ratio(side.HitRatio)} ({Ratio(side.HitRatioOnReachableHomes)} on keys whose home it reaches), database requests per op {side.DatabaseRequestsPerOp:0.000}, {side.Ops} ops");
        }
        yield return F($"database writes per client write {DatabaseWritesPerWrite:0.000}; replication {ReplicationMessagesPerSecond:0} msgs/s; flush lag p99 {(FlushLagP99Ms is { } lag ? lag + " ms" : "n/a")}");
        if (KeysReadBack is { } keys)
        {
            yield return F($"lost writes {LostWrites} (every node flushed, then {keys} keys read straight from lin-kv)");
        }
        else if (ReadBackSkipped is { } reason)
        {
            yield return F($"lost writes: not checked, {reason}");
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
