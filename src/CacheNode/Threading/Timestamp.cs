namespace CacheNode.Threading;

/// <summary>
/// A moment on one <see cref="TimeProvider"/>'s monotonic clock (its <see cref="TimeProvider.GetTimestamp"/>
/// ticks). Deadlines and expiries are these rather than bare <see cref="long"/>s, so a moment is not taken
/// for a duration, a version or an epoch, and a duration cannot be added to it before it is converted to
/// the clock's ticks with the rounding its use needs (<see cref="Timestamps"/>). Moments of two nodes are
/// never compared: each node measures on its own clock.
/// </summary>
internal readonly record struct Timestamp(long Ticks) : IComparable<Timestamp>
{
    /// <summary>A moment that never comes: later than every other, and adding or subtracting a span leaves it so.</summary>
    public static readonly Timestamp Never = new(long.MaxValue);

    /// <summary>
    /// Tick 0 (also <c>default</c>): before any moment a clock shows in practice (the system's counts from
    /// boot). What a deadline holds before anything has set it: already past.
    /// </summary>
    public static readonly Timestamp LongAgo = default;

    /// <summary>The moment <paramref name="span"/> after <paramref name="at"/>: saturates rather than wraps, so it stays in order.</summary>
    public static Timestamp operator +(Timestamp at, TickSpan span) =>
        at == Never ? Never : new(SaturatingAdd(at.Ticks, span.Ticks));

    /// <summary>The moment <paramref name="span"/> before <paramref name="at"/>: saturates rather than wraps, so it stays in order.</summary>
    public static Timestamp operator -(Timestamp at, TickSpan span) =>
        at == Never ? Never : new(SaturatingSubtract(at.Ticks, span.Ticks));

    /// <summary>How long from <paramref name="since"/> to <paramref name="until"/> (negative if it comes before).</summary>
    public static TickSpan operator -(Timestamp until, Timestamp since) => new(SaturatingSubtract(until.Ticks, since.Ticks));

    public static bool operator <(Timestamp left, Timestamp right) => left.Ticks < right.Ticks;

    public static bool operator >(Timestamp left, Timestamp right) => left.Ticks > right.Ticks;

    public static bool operator <=(Timestamp left, Timestamp right) => left.Ticks <= right.Ticks;

    public static bool operator >=(Timestamp left, Timestamp right) => left.Ticks >= right.Ticks;

    public static Timestamp Max(Timestamp first, Timestamp second) => first >= second ? first : second;

    public static Timestamp Min(Timestamp first, Timestamp second) => first <= second ? first : second;

    public int CompareTo(Timestamp other) => Ticks.CompareTo(other.Ticks);

    // Two's complement overflow: the operands' signs agree (add) or differ (subtract) and the result's sign
    // is the other one. Then the exact result lies beyond the range, on the side of the first operand's sign.
    private static long SaturatingAdd(long left, long right)
    {
        var sum = unchecked(left + right);
        return ((left ^ sum) & (right ^ sum)) < 0 ? Saturated(left) : sum;
    }

    private static long SaturatingSubtract(long left, long right)
    {
        var difference = unchecked(left - right);
        return ((left ^ right) & (left ^ difference)) < 0 ? Saturated(left) : difference;
    }

    private static long Saturated(long towardsSignOf) => towardsSignOf < 0 ? long.MinValue : long.MaxValue;
}
