using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Run;

/// <summary>Everything a finished run produced, for the report.</summary>
internal sealed record RunResult(
    RunnerOptions Options,
    string StoreDirectory,
    IReadOnlyList<OpRecord> History,
    WorkloadVerdict Verdict,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<NemesisEvent> NemesisEvents,
    MessageCounts Messages,
    IReadOnlyDictionary<string, JsonObject?> NodeStats,
    TimeSpan Duration,
    TimeSpan CheckDuration,
    double RunnerCpuSeconds,
    double NodesCpuSeconds)
{
    /// <summary>Milliseconds client requests spent inside their node, sorted, by request type.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> NodeTimes { get; init; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>Every node's counters at each change of partition, and at the start and end of the workload (runner-only, with <c>--node-checks</c>).</summary>
    public IReadOnlyList<StatsSample> PartitionSamples { get; init; } = [];

    /// <summary>Write and cas requests lin-kv received during the run.</summary>
    public long DatabaseWrites { get; init; }

    /// <summary>The end-of-run read of every key straight from lin-kv (lin-kv workload only).</summary>
    public DatabaseReadBackResult? DatabaseReadBack { get; init; }

    /// <summary>Why Maelstrom would have aborted this test (exit 255, no verdict): empty if it ran to the end.</summary>
    public IReadOnlyList<string> Crashes { get; init; } = [];

    /// <summary>Valid only if the history checks out and no node broke the rules; null if undecided or crashed.</summary>
    public bool? Valid => Crashes.Count > 0 ? null : Failures.Count > 0 ? false : Verdict.Valid;

    /// <summary>Jepsen's exit status: 0 valid, 1 invalid, 2 unknown, 255 crashed.</summary>
    public int ExitCode => Crashes.Count > 0 ? 255 : Valid switch { true => 0, false => 1, null => 2 };
}
