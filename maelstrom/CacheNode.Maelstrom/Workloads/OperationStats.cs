using System.Globalization;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// The checkers Maelstrom composes beside every workload's own: Jepsen's <c>stats</c> (valid only if
/// every kind of operation succeeded at least once) and Maelstrom's <c>availability</c> (with
/// <c>--availability</c>: the fraction of operations that succeeded, or all of them for "total").
/// </summary>
internal static class OperationStats
{
    /// <summary>Problems found (empty: both checks pass). Only client operations count, not the database read-back.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<OpRecord> history, double? availability, Func<OpRecord, string> kindOf)
    {
        var clientOps = history.Where(r => r.Client != Run.DatabaseReadBack.ClientName).ToList();
        var problems = new List<string>();
        foreach (var kind in clientOps.GroupBy(kindOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!kind.Any(r => r.Status == OpStatus.Ok))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"stats: no {kind.Key} operation succeeded ({kind.Count()} attempted: {kind.Count(r => r.Status == OpStatus.Fail)} failed, {kind.Count(r => r.Status == OpStatus.Info)} indeterminate)"));
            }
        }

        if (availability is { } target && clientOps.Count > 0)
        {
            var fraction = (double)clientOps.Count(r => r.Status == OpStatus.Ok) / clientOps.Count;
            var met = double.IsPositiveInfinity(target) ? fraction >= 1 : fraction >= target;
            if (!met)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"availability: {fraction:P1} of operations succeeded, below the target {(double.IsPositiveInfinity(target) ? "total" : target.ToString("P1", CultureInfo.InvariantCulture))}"));
            }
        }

        return problems;
    }
}
