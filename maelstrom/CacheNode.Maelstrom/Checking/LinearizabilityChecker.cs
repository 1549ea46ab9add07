using System.Collections.Concurrent;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Exact linearizability checking of compare-and-set register histories, one key at a time (keys are
/// independent registers, and linearizability is compositional, so checking them apart is exact and far
/// cheaper than checking them together). See <see cref="LinearizabilitySearch"/> for the algorithm and
/// <see cref="PreparedHistory"/> for how Fail and Info operations are treated.
/// </summary>
internal static class LinearizabilityChecker
{
    /// <summary>
    /// Search configurations per key before giving up with <see cref="Verdict.Unknown"/>. A valid history
    /// needs a few per operation; each costs roughly 100 bytes, so this caps a key's memory near 200 MB.
    /// </summary>
    public const long DefaultStateBudget = 2_000_000;

    // The first exact attempt's share: enough for nearly every valid history (a few configurations per
    // operation), small enough that an invalid one with many Info operations moves on quickly.
    private const long QuickAttemptBase = 50_000;
    private const long QuickAttemptPerOp = 50;

    /// <summary>Checks one key's operations (any order, any status).</summary>
    public static CheckResult Check(IReadOnlyList<Operation> opsOfOneKey, CancellationToken ct = default) =>
        Check(opsOfOneKey, DefaultStateBudget, ct);

    /// <summary>Checks one key's operations, giving up after <paramref name="stateBudget"/> configurations
    /// or when <paramref name="ct"/> is cancelled (both give <see cref="Verdict.Unknown"/>, not an exception).</summary>
    public static CheckResult Check(IReadOnlyList<Operation> opsOfOneKey, long stateBudget, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(opsOfOneKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateBudget);
        var history = PreparedHistory.From(opsOfOneKey);
        return ViolationReport.Build(history, Search(history, stateBudget, ct), opsOfOneKey.Count);
    }

    /// <summary>Checks every key separately, in parallel; results are ordered by key.</summary>
    public static IReadOnlyDictionary<string, CheckResult> CheckAll(IEnumerable<Operation> ops, CancellationToken ct = default) =>
        CheckAll(ops, DefaultStateBudget, ct);

    /// <inheritdoc cref="CheckAll(IEnumerable{Operation}, CancellationToken)"/>
    public static IReadOnlyDictionary<string, CheckResult> CheckAll(IEnumerable<Operation> ops, long stateBudget, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        // Largest keys first so one big key does not start last and run alone.
        var keys = ops.GroupBy(op => op.Key, StringComparer.Ordinal)
            .Select(group => (Key: group.Key, Ops: group.ToList()))
            .OrderByDescending(group => group.Ops.Count)
            .ToList();
        var results = new ConcurrentDictionary<string, CheckResult>(StringComparer.Ordinal);
        Parallel.ForEach(keys, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            group => results[group.Key] = Check(group.Ops, stateBudget, ct));
        return new SortedDictionary<string, CheckResult>(results, KeyOrder.Instance);
    }

    /// <summary>
    /// Without Info operations: one exact search. With them, the exact search can blow up when it has to
    /// refute (every combination of Info operations used is a new configuration), so: a short exact attempt
    /// (settles most valid histories); then the <see cref="SearchMode.RepeatableInfo"/> relaxation, whose
    /// Invalid is final and cheap to reach, and whose Valid is final when its linearization uses no Info
    /// operation twice; then the exact search again with the rest of the budget.
    /// </summary>
    private static SearchOutcome Search(PreparedHistory history, long budget, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return new SearchOutcome(Verdict.Unknown, 0, -1, [], Cancelled: true, SearchMode.Exact);
        }

        var quickBudget = history.OptionalCount == 0 ? budget : Math.Min(budget, QuickAttemptBase + (QuickAttemptPerOp * history.Ops.Length));
        var outcome = new LinearizabilitySearch(history, SearchMode.Exact, quickBudget, ct).Run();
        var spent = outcome.StatesExplored;
        if (outcome.Verdict != Verdict.Unknown || outcome.Cancelled || spent >= budget)
        {
            return outcome;
        }

        var relaxed = new LinearizabilitySearch(history, SearchMode.RepeatableInfo, budget - spent, ct).Run();
        spent += relaxed.StatesExplored;
        if (relaxed.Verdict != Verdict.Unknown || relaxed.Cancelled || spent >= budget)
        {
            return relaxed with { StatesExplored = spent };
        }

        var exact = new LinearizabilitySearch(history, SearchMode.Exact, budget - spent, ct).Run();
        return exact with { StatesExplored = spent + exact.StatesExplored };
    }
}
