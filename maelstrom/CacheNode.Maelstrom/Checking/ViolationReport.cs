using System.Globalization;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Turns a search outcome into a <see cref="CheckResult"/>. For a violation it names the culprit: the
/// operation whose completion the search never got past. Every operation that completed before it can be
/// linearized (the search found such an order; under <see cref="SearchMode.RepeatableInfo"/>, with Info
/// operations repeating), so the longest linearizable prefix of the history ends just before it. The slice
/// is the culprit plus what it raced with and the last writes before it.
/// </summary>
internal static class ViolationReport
{
    private const int MaxSlice = 15;
    private const int WritesBefore = 4;

    public static CheckResult Build(PreparedHistory history, SearchOutcome outcome, int operationCount)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(outcome);
        var states = outcome.StatesExplored.ToString("N0", CultureInfo.InvariantCulture);
        switch (outcome.Verdict)
        {
            case Verdict.Valid:
                return new CheckResult(history.Key, Verdict.Valid, string.Create(CultureInfo.InvariantCulture,
                    $"linearizable: {history.RequiredCount} ok operations and {history.OptionalCount} indeterminate ones that could matter ({states} states explored)"),
                    null, [], outcome.StatesExplored, operationCount);

            case Verdict.Unknown:
                var why = outcome.Cancelled ? "check cancelled" : "search budget exhausted";
                var progress = outcome.Culprit >= 0
                    ? string.Create(CultureInfo.InvariantCulture, $"; it got past the first {outcome.Culprit} of {history.RequiredCount} ok operations")
                    : string.Empty;
                return new CheckResult(history.Key, Verdict.Unknown,
                    $"unknown ({why} after {states} states{progress})", null, [], outcome.StatesExplored, operationCount);

            default:
                var culprit = history.Ops[outcome.Culprit].Source;
                return new CheckResult(history.Key, Verdict.Invalid, Explain(culprit, outcome, states), culprit,
                    SliceAround(culprit, history.Considered), outcome.StatesExplored, operationCount);
        }
    }

    private static string Explain(Operation culprit, SearchOutcome outcome, string states)
    {
        var held = outcome.StatesAtCulprit.Count == 0
            ? "no state"
            : string.Join(" or ", outcome.StatesAtCulprit.OrderBy(s => s ?? int.MinValue).Select(Show));
        var need = culprit.Kind switch
        {
            OpKind.Read => $"it read {Show(culprit.Value)}",
            OpKind.Cas => $"it needs {Show(culprit.From)}",
            _ => "no order of the concurrent operations lets it take effect",
        };
        // Under the relaxation the search got at least as far as the real one could, so the culprit is a genuine
        // violation, but "the operations before it can be linearized" only holds with Info operations repeating.
        var before = outcome.Mode == SearchMode.Exact
            ? string.Create(CultureInfo.InvariantCulture, $"The {outcome.Culprit} ok operations that completed before it can be linearized, but every such order leaves")
            : string.Create(CultureInfo.InvariantCulture, $"Even if indeterminate operations could take effect any number of times, the {outcome.Culprit} ok operations that completed before it can only be linearized in orders that leave");
        return string.Create(CultureInfo.InvariantCulture,
            $"{CheckResult.Describe(culprit)} cannot take effect within its interval. {before} the register holding {held} when it must take effect, and {need} ({states} states explored).");
    }

    private static List<Operation> SliceAround(Operation culprit, IReadOnlyList<Operation> considered)
    {
        // The last completed writes fix what the culprit should see; the concurrent operations are what it raced.
        var before = considered
            .Where(op => op.Status == OpStatus.Ok && op.Kind != OpKind.Read && op.Complete < culprit.Invoke)
            .OrderByDescending(op => op.Complete)
            .Take(WritesBefore);
        var concurrent = considered
            .Where(op => op != culprit && op.Invoke <= culprit.Complete && (op.Status == OpStatus.Info || op.Complete >= culprit.Invoke))
            .OrderBy(op => op.Kind == OpKind.Read ? 1 : 0)
            .ThenBy(op => Math.Abs(op.Invoke - culprit.Invoke));
        return [.. before.Concat(concurrent).Take(MaxSlice - 1).Append(culprit).OrderBy(op => op.Invoke).ThenBy(op => op.Id)];
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "nil";
}
