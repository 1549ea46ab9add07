namespace CacheNode.Threading;

/// <summary>
/// A duration in a <see cref="TimeProvider"/>'s timestamp ticks: a <see cref="TimeSpan"/> converted once,
/// with the rounding its use needs (<see cref="Timestamps.SpanRoundedUp"/>, <see cref="Timestamps.SpanRoundedDown"/>),
/// usually in a constructor, so that a deadline computed on a hot path does no floating point.
/// </summary>
internal readonly record struct TickSpan(long Ticks) : IComparable<TickSpan>
{
    public static readonly TickSpan Zero = default;

    public static bool operator <(TickSpan left, TickSpan right) => left.Ticks < right.Ticks;

    public static bool operator >(TickSpan left, TickSpan right) => left.Ticks > right.Ticks;

    public static bool operator <=(TickSpan left, TickSpan right) => left.Ticks <= right.Ticks;

    public static bool operator >=(TickSpan left, TickSpan right) => left.Ticks >= right.Ticks;

    public static TickSpan Max(TickSpan first, TickSpan second) => first >= second ? first : second;

    public int CompareTo(TickSpan other) => Ticks.CompareTo(other.Ticks);
}
