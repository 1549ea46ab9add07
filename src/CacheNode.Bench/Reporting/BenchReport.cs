namespace CacheNode.Bench.Reporting;

/// <summary>Everything one bench run measured, ready to render.</summary>
internal sealed record BenchReport(
    MachineInfo Machine,
    int Repeats,
    int StartupRuns,
    IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<StartupResult> Startup,
    string PeakRssCommand,
    long? PeakRssBytes)
{
    public bool Failed => Throughput.Any(t => t.Failed) || Startup.Any(s => s.Failed) || PeakRssBytes is null;
}
