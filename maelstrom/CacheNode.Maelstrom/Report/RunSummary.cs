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
        foreach (var stats in result.NodeStats.Values)
        {
            hits += stats?["hits"]?.GetValue<long>() ?? 0;
            misses += stats?["misses"]?.GetValue<long>() ?? 0;
        }

        var messages = result.Messages;
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
            messages.Dropped);
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
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
