namespace CacheNode.Threading;

/// <summary>
/// A <see cref="TimeSpan"/> as a number of <see cref="TimeProvider"/> timestamp ticks, rounded the way a
/// safety rule needs: up for whoever must wait (a grantor, a fence), down for whoever must stop (a holder).
/// </summary>
internal static class TimestampSpans
{
    public static long TicksRoundedUp(this TimeProvider time, TimeSpan span) =>
        (long)Math.Ceiling(span.TotalSeconds * time.TimestampFrequency);

    public static long TicksRoundedDown(this TimeProvider time, TimeSpan span) =>
        (long)Math.Floor(span.TotalSeconds * time.TimestampFrequency);
}
