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
    /// needs about one per operation; each costs roughly 100 bytes of memo, so this caps a key near 100 MB.
    /// </summary>
    public const long DefaultStateBudget = 1_000_000;

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
        var outcome = ct.IsCancellationRequested
            ? new SearchOutcome(Verdict.Unknown, 0, -1, [], Cancelled: true)
            : new LinearizabilitySearch(history, stateBudget, ct).Run();
        return ViolationReport.Build(history, outcome, opsOfOneKey.Count);
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
}
