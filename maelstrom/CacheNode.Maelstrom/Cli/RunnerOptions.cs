namespace CacheNode.Maelstrom.Cli;

/// <summary>
/// A test run's settings. The first group are Maelstrom's own options, with Maelstrom's defaults
/// (core.clj and Jepsen's cli.clj); the second group are this runner's extensions, which a plain
/// <c>maelstrom test</c> command line never sets.
/// </summary>
internal sealed record RunnerOptions
{
    /// <summary>Jepsen's default node list when neither <c>--node-count</c> nor <c>--nodes</c> is given.</summary>
    public static readonly IReadOnlyList<string> DefaultNodeIds = ["n1", "n2", "n3", "n4", "n5"];

    // --- Maelstrom's options ---
    public string Workload { get; init; } = "lin-kv";
    public required string Bin { get; init; }

    /// <summary>Arguments after the options, passed to every node (Maelstrom's <c>add-args</c>).</summary>
    public IReadOnlyList<string> BinArgs { get; init; } = [];

    public IReadOnlyList<string> NodeIds { get; init; } = DefaultNodeIds;

    /// <summary>Sets <see cref="NodeIds"/> to n0..n{count-1}, as <c>--node-count</c> does.</summary>
    public int NodeCount
    {
        get => NodeIds.Count;
        init => NodeIds = [.. Enumerable.Range(0, value).Select(i => "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    public double TimeLimitSeconds { get; init; } = 60;
    public double Rate { get; init; } = 5;

    /// <summary>Worker threads: a number, or a multiple of the node count ("2n"). Jepsen's default is 1n.</summary>
    public string ConcurrencySpec { get; init; } = "1n";

    public int Concurrency => ConcurrencySpec.EndsWith('n')
        ? int.Parse(ConcurrencySpec[..^1], System.Globalization.CultureInfo.InvariantCulture) * NodeCount
        : int.Parse(ConcurrencySpec, System.Globalization.CultureInfo.InvariantCulture);

    public double LatencyMs { get; init; }
    public LatencyDistribution LatencyDistribution { get; init; } = LatencyDistribution.Constant;
    public IReadOnlySet<string> Nemesis { get; init; } = new HashSet<string>();
    public double NemesisIntervalSeconds { get; init; } = 10;

    /// <summary><c>--availability</c>: null (no check), <see cref="double.PositiveInfinity"/> for "total", else the fraction of ops that must succeed.</summary>
    public double? Availability { get; init; }

    /// <summary><c>--log-stderr</c>: copy node stderr lines to the console.</summary>
    public bool LogStderr { get; init; }

    /// <summary>Maelstrom options this runner accepts but does not act on (printed at the start of the run).</summary>
    public IReadOnlyList<string> IgnoredOptions { get; init; } = [];

    // --- Runner-only extensions ---
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary><c>--keys K</c>: K keys drawn at random (uniform, or Zipf with <see cref="KeySkew"/>) with <see cref="ReadRatio"/>, instead of Jepsen's independent lin-kv generator.</summary>
    public int? UniformKeys { get; init; }

    /// <summary>Fraction of reads with <see cref="UniformKeys"/>; writes and cas share the rest.</summary>
    public double ReadRatio { get; init; } = 0.5;

    /// <summary>Zipf exponent for key choice with <see cref="UniformKeys"/>; 0 chooses keys uniformly.</summary>
    public double KeySkew { get; init; }

    public string StoreDirectory { get; init; } = "store";
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--final-reads</c>: after the time limit, heal every fault, wait, and have every client read every key once.</summary>
    public bool FinalReads { get; init; }

    /// <summary>
    /// <c>--node-checks</c> (CacheNode's own requests): final reads, then <c>flush</c> every node, read every key straight
    /// from lin-kv (lost writes), ask every node for <c>stats</c>, and require a clean exit at end of input.
    /// </summary>
    public bool NodeChecks { get; init; }

    /// <summary>
    /// <c>--verbatim-messages</c>: deliver every line as its sender wrote it, not in Maelstrom's spelling
    /// (<see cref="Net.MaelstromJsonSpelling"/>), e.g. to see whether a failure depends on the respelling.
    /// </summary>
    public bool VerbatimMessages { get; init; }

    /// <summary>True when the run ends with the final phase (heal, settle, final reads).</summary>
    public bool HasFinalPhase => FinalReads || NodeChecks;

    /// <summary>The arguments as given (from <c>test</c> on), so the report can say how to run it again; empty when built in code.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Runner-only settings in effect, for the report and the console (empty: a plain Maelstrom run).</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];
}
