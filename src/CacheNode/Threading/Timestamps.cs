namespace CacheNode.Threading;

/// <summary>
/// <see cref="Timestamp"/>s and <see cref="TickSpan"/>s from a <see cref="TimeProvider"/>, and back to
/// <see cref="TimeSpan"/>s for timers. A <see cref="TimeSpan"/> becomes ticks rounded the way a safety
/// rule needs: up for whoever must wait (a grantor, a fence), down for whoever must stop (a holder).
/// </summary>
internal static class Timestamps
{
    /// <summary>Now, on the provider's monotonic clock.</summary>
    public static Timestamp Now(this TimeProvider time) => new(time.GetTimestamp());

    /// <summary><paramref name="span"/> in the provider's ticks, never shorter: for whoever must wait it out.</summary>
    public static TickSpan SpanRoundedUp(this TimeProvider time, TimeSpan span) =>
        new((long)Math.Ceiling(span.TotalSeconds * time.TimestampFrequency));

    /// <summary><paramref name="span"/> in the provider's ticks, never longer: for whoever must stop within it.</summary>
    public static TickSpan SpanRoundedDown(this TimeProvider time, TimeSpan span) =>
        new((long)Math.Floor(span.TotalSeconds * time.TimestampFrequency));

    /// <summary>A span of the provider's ticks as a <see cref="TimeSpan"/>, converted as <see cref="TimeProvider.GetElapsedTime(long, long)"/> does.</summary>
    public static TimeSpan ToTimeSpan(this TimeProvider time, TickSpan span) => time.GetElapsedTime(0, span.Ticks);

    /// <summary>How long from now until <paramref name="deadline"/> (negative once it has passed): what a timer waits.</summary>
    public static TimeSpan TimeUntil(this TimeProvider time, Timestamp deadline) => time.ToTimeSpan(deadline - time.Now());

    /// <summary>How long ago <paramref name="since"/> was.</summary>
    public static TimeSpan TimeSince(this TimeProvider time, Timestamp since) => time.GetElapsedTime(since.Ticks);
}
