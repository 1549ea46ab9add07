namespace CacheNode.Diagnostics;

/// <summary>
/// Durations at millisecond resolution up to a minute (longer ones count as the last bucket), recorded
/// lock-free from any thread, with percentiles read off the counts.
/// </summary>
internal sealed class LagHistogram
{
    private const int Buckets = 60_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private long _total;

    public long Count => Volatile.Read(ref _total);

    public void Record(TimeSpan duration)
    {
        var bucket = (int)Math.Clamp(Math.Ceiling(duration.TotalMilliseconds), 0, Buckets);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The smallest whole number of milliseconds that at least <paramref name="fraction"/> of the recorded durations do not exceed; 0 when empty.</summary>
    public long Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        var seen = 0L;
        for (var bucket = 0; bucket <= Buckets; bucket++)
        {
            seen += Volatile.Read(ref _counts[bucket]);
            if (seen >= rank)
            {
                return bucket;
            }
        }

        return Buckets;
    }
}
