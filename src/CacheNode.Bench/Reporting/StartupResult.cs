namespace CacheNode.Bench.Reporting;

/// <summary>Spawn-to-<c>init_ok</c> times of one command, and its resident set once idle after <c>init_ok</c>.</summary>
internal sealed record StartupResult(string Command, IReadOnlyList<double> Milliseconds, IReadOnlyList<long> IdleRssBytes, IReadOnlyList<string> Problems)
{
    public bool Failed => Problems.Count > 0 || Milliseconds.Count == 0;

    public double MedianMs => Percentiles.Median([.. Milliseconds]);

    public double P90Ms => Percentiles.NearestRank([.. Milliseconds], 90);

    /// <summary>Median idle RSS in MiB, or NaN where /proc could not be read.</summary>
    public double MedianIdleRssMiB => IdleRssBytes.Count == 0 ? double.NaN : Percentiles.Median([.. IdleRssBytes.Select(b => b / (1024.0 * 1024.0))]);
}
