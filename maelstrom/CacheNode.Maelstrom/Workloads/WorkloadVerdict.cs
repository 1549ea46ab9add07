namespace CacheNode.Maelstrom.Workloads;

/// <summary>A workload's judgement of a history.</summary>
/// <param name="Valid">True if valid, false if invalid, null if the checker could not decide (budget exhausted).</param>
/// <param name="Summary">One line for the console.</param>
/// <param name="Details">Explanations: for an invalid lin-kv history, a minimal non-linearizable slice per offending key.</param>
internal sealed record WorkloadVerdict(bool? Valid, string Summary, IReadOnlyList<string> Details)
{
    /// <summary>The keys found not linearizable (lin-kv).</summary>
    public IReadOnlyList<string> InvalidKeys { get; init; } = [];

    /// <summary>The checker's result for each key found not linearizable (lin-kv), in key order: the report
    /// draws each one's operations, and needs them as data, not as the text of <see cref="Details"/>.</summary>
    public IReadOnlyList<Checking.CheckResult> Counterexamples { get; init; } = [];
}
