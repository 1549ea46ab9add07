using System.Globalization;
using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>Turns the per-key linearizability results into the run's verdict and its explanation.</summary>
internal static class LinKvVerdict
{
    public static WorkloadVerdict Of(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken)
    {
        var results = LinearizabilityChecker.CheckAll(history.Select(r => r.ToOperation()), cancellationToken);
        var invalid = results.Values.Where(r => r.Verdict == Verdict.Invalid).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var unknown = results.Values.Count(r => r.Verdict == Verdict.Unknown);
        var details = invalid.Select(r =>
            $"key {r.Key} is not linearizable. {r.Explanation}\n  " + string.Join("\n  ", r.SliceLines)).ToList();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} keys checked, {invalid.Count} not linearizable, {unknown} undecided; {history.Count} operations");
        bool? valid = invalid.Count > 0 ? false : unknown > 0 ? null : true;
        return new WorkloadVerdict(valid, summary, details) { InvalidKeys = [.. invalid.Select(r => r.Key)] };
    }
}
