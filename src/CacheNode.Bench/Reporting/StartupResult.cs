namespace CacheNode.Bench.Reporting;

/// <summary>Spawn-to-<c>init_ok</c> times of one command.</summary>
internal sealed record StartupResult(string Command, IReadOnlyList<double> Milliseconds, IReadOnlyList<string> Problems)
{
    public bool Failed => Problems.Count > 0 || Milliseconds.Count == 0;

    public double MedianMs => Percentiles.Median([.. Milliseconds]);

    public double P90Ms => Percentiles.NearestRank([.. Milliseconds], 90);
}
