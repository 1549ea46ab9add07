using System.Globalization;
using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>Turns the per-key linearizability results and the stats checks into the run's verdict and its explanation.</summary>
internal static class LinKvVerdict
{
    public static WorkloadVerdict Of(IReadOnlyList<OpRecord> history, double? availability, CancellationToken cancellationToken)
    {
        var results = LinearizabilityChecker.CheckAll(history.Where(Constrains).Select(r => r.ToOperation()), cancellationToken);
        var invalid = results.Values.Where(r => r.Verdict == Verdict.Invalid).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var unknown = results.Values.Count(r => r.Verdict == Verdict.Unknown);
        var stats = OperationStats.Problems(history, availability, r => r.Kind.ToString().ToLowerInvariant());
        var details = invalid.Select(r =>
            $"key {r.Key} is not linearizable. {r.Explanation}\n  " + string.Join("\n  ", r.SliceLines)).Concat(stats).ToList();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} keys checked, {invalid.Count} not linearizable, {unknown} undecided; {history.Count} operations")
            + (stats.Count > 0 ? "; " + string.Join("; ", stats) : string.Empty);
        bool? valid = invalid.Count > 0 || stats.Count > 0 ? false : unknown > 0 ? null : true;
        return new WorkloadVerdict(valid, summary, details) { InvalidKeys = [.. invalid.Select(r => r.Key)], Counterexamples = invalid };
    }

    // Knossos' cas-register accepts a read of nil in any state, so such a read constrains nothing and is
    // left out. The runner's own read straight from lin-kv is the exception: there, no value means the
    // database does not hold the key, which only a register never written may say.
    private static bool Constrains(OpRecord record) =>
        !(record.Kind == OpKind.Read && record.Status == OpStatus.Ok && record.Value is null && record.Client != Run.DatabaseReadBack.ClientName);
}
