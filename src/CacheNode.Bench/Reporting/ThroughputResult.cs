using CacheNode.Bench.Running;

namespace CacheNode.Bench.Reporting;

/// <summary>The repeated runs of one workload through one command.</summary>
/// <param name="Seconds">Each good run from spawn to exit: start-up included.</param>
/// <param name="WarmSeconds">Each good run from the first reply (<c>init_ok</c>) to the last: start-up left out.</param>
internal sealed record ThroughputResult(
    string Workload,
    ChildCommand Command,
    int Requests,
    IReadOnlyList<double> Seconds,
    IReadOnlyList<double> WarmSeconds,
    IReadOnlyList<string> Problems)
{
    public bool Failed => Problems.Count > 0 || Seconds.Count == 0;

    /// <summary>The fastest run: noise on a shared machine only ever adds time, so the minimum is the steadiest figure.</summary>
    public double BestSeconds => Seconds.Min();

    public double MedianSeconds => Percentiles.Median([.. Seconds]);

    public double RequestsPerSecond => Requests / BestSeconds;

    /// <summary>Requests per second once started (the <c>init</c> line aside), from the fastest warm run.</summary>
    public double WarmRequestsPerSecond => WarmSeconds.Count == 0 ? double.NaN : Requests / WarmSeconds.Min();
}
