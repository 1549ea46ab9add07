namespace CacheNode.Maelstrom.Report;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentile
{
    public static double Of(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
