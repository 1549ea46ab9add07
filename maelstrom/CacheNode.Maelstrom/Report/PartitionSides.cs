using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// What each side of a partition did while it lasted, from the nodes' counters sampled at every change
/// (<see cref="PartitionSampler"/>): a node's side is the nodes it and they can both still reach. The
/// hit ratio on reachable homes leaves out reads that went to the database because the key's home
/// was cut off (<c>home_unreachable_reads</c>): a node cannot cache what it cannot be told about.
/// </summary>
internal static class PartitionSides
{
    public const string Unpartitioned = "no partition";

    public static IReadOnlyList<SideFigures> Of(IReadOnlyList<StatsSample> samples, IReadOnlyList<OpRecord> history)
    {
        var sides = new Dictionary<string, SideTotals>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < samples.Count; i++)
        {
            var (start, end) = (samples[i], samples[i + 1]);
            var nodes = start.Stats.Keys.Order(StringComparer.Ordinal).ToList();
            foreach (var node in nodes)
            {
                if (start.Stats[node] is not { } before || end.Stats.GetValueOrDefault(node) is not { } after)
                {
                    continue;
                }

                long Delta(string counter) => (after[counter]?.GetValue<long>() ?? 0) - (before[counter]?.GetValue<long>() ?? 0);
                var (hits, misses, unreachable) = (Delta("hits"), Delta("misses"), Delta("home_unreachable_reads"));
                var database = Delta("db_reads") + Delta("db_writes");
                if (hits < 0 || misses < 0 || unreachable < 0 || database < 0)
                {
                    // The node restarted within the window: its counters began again.
                    continue;
                }

                var side = start.Grudge.IsEmpty
                    ? Unpartitioned
                    : string.Join(" ", nodes.Where(other => !start.Grudge.Drops(node, other) && !start.Grudge.Drops(other, node)));
                var ops = history.Count(r => !r.FinalRead && r.Node == node
                    && r.CompleteNanos / 1e6 >= start.AtMs && r.CompleteNanos / 1e6 < end.AtMs);
                var totals = sides.TryGetValue(side, out var existing) ? existing : new SideTotals();
                sides[side] = totals with
                {
                    Hits = totals.Hits + hits,
                    Misses = totals.Misses + misses,
                    HomeUnreachable = totals.HomeUnreachable + unreachable,
                    DatabaseRequests = totals.DatabaseRequests + database,
                    Ops = totals.Ops + ops,
                };
            }
        }

        return [.. sides.OrderBy(p => p.Key == Unpartitioned ? 0 : 1).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Figures(p.Key))];
    }

    public static JsonArray ToJson(IReadOnlyList<SideFigures> sides) =>
        [.. sides.Select(s => (JsonNode)new JsonObject
        {
            ["side"] = s.Side,
            ["ops"] = s.Ops,
            ["hit_ratio"] = s.HitRatio,
            ["hit_ratio_reachable_homes"] = s.HitRatioOnReachableHomes,
            ["db_requests_per_op"] = s.DatabaseRequestsPerOp,
            ["hits"] = s.Hits,
            ["reads"] = s.Reads,
            ["reads_reachable_homes"] = s.ReadsOnReachableHomes,
            ["db_requests"] = s.DatabaseRequests,
        })];

    private sealed record SideTotals
    {
        public long Hits { get; init; }

        public long Misses { get; init; }

        public long HomeUnreachable { get; init; }

        public long DatabaseRequests { get; init; }

        public int Ops { get; init; }

        public SideFigures Figures(string side)
        {
            var reads = Hits + Misses;
            var reachable = reads - HomeUnreachable;
            return new SideFigures(
                side,
                Ops,
                reads == 0 ? null : (double)Hits / reads,
                reachable <= 0 ? null : (double)Hits / reachable,
                Ops == 0 ? 0 : (double)DatabaseRequests / Ops)
            {
                Hits = Hits,
                Reads = reads,
                ReadsOnReachableHomes = reachable,
                DatabaseRequests = DatabaseRequests,
            };
        }
    }
}

/// <summary>One side's figures over every window in which it was a side (or over the windows with no partition).</summary>
internal sealed record SideFigures(string Side, int Ops, double? HitRatio, double? HitRatioOnReachableHomes, double DatabaseRequestsPerOp)
{
    // The counts behind the ratios, so that runs' sides can be added up (compare --sides).
    public long Hits { get; init; }

    public long Reads { get; init; }

    public long ReadsOnReachableHomes { get; init; }

    public long DatabaseRequests { get; init; }
}
