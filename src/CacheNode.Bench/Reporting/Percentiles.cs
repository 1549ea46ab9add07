namespace CacheNode.Bench.Reporting;

/// <summary>Order statistics over a handful of samples.</summary>
internal static class Percentiles
{
    /// <summary>The middle sample, or the mean of the two middle ones.</summary>
    public static double Median(IReadOnlyCollection<double> samples)
    {
        var sorted = Sorted(samples);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Nearest-rank percentile: a value that was actually observed, which is honest with ten samples.</summary>
    public static double NearestRank(IReadOnlyCollection<double> samples, double percent)
    {
        var sorted = Sorted(samples);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static double[] Sorted(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
