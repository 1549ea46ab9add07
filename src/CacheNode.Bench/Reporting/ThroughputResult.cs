using CacheNode.Bench.Running;

namespace CacheNode.Bench.Reporting;

/// <summary>The repeated runs of one workload through one command.</summary>
internal sealed record ThroughputResult(string Workload, ChildCommand Command, int Requests, IReadOnlyList<double> Seconds, IReadOnlyList<string> Problems)
{
    public bool Failed => Problems.Count > 0 || Seconds.Count == 0;

    /// <summary>The fastest run: noise on a shared machine only ever adds time, so the minimum is the steadiest figure.</summary>
    public double BestSeconds => Seconds.Min();

    public double MedianSeconds => Percentiles.Median([.. Seconds]);

    public double RequestsPerSecond => Requests / BestSeconds;
}
