namespace CacheNode.Maelstrom.Cli;

/// <summary>A test run's settings, named as Maelstrom's <c>test</c> command names them.</summary>
internal sealed record RunnerOptions
{
    public string Workload { get; init; } = "lin-kv";
    public required string Bin { get; init; }
    public IReadOnlyList<string> BinArgs { get; init; } = [];
    public int NodeCount { get; init; } = 1;
    public double TimeLimitSeconds { get; init; } = 10;
    public double Rate { get; init; } = 100;
    /// <summary>Client processes; Maelstrom's default is 2n (twice the node count).</summary>
    public int Concurrency { get; init; } = 2;
    public double LatencyMs { get; init; }
    public LatencyDistribution LatencyDistribution { get; init; } = LatencyDistribution.Constant;
    public IReadOnlySet<string> Nemesis { get; init; } = new HashSet<string>();
    public double NemesisIntervalSeconds { get; init; } = 5;
    public int Seed { get; init; } = Environment.TickCount;
    public int KeyCount { get; init; } = 8;
    public double ReadRatio { get; init; } = 0.5;
    /// <summary>Zipf exponent for key choice; 0 chooses keys uniformly.</summary>
    public double KeySkew { get; init; }
    public string StoreDirectory { get; init; } = "store";
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>Final-phase read-back of every key directly from lin-kv, to count lost writes (write-behind).</summary>
    public bool CheckDatabase { get; init; } = true;
}
