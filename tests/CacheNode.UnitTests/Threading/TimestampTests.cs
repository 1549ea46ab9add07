using CacheNode.Threading;

namespace CacheNode.UnitTests.Threading;

/// <summary>
/// Moments and spans on a monotonic clock: a deadline that never comes stays so, arithmetic never wraps
/// around, and a <see cref="TimeSpan"/> becomes ticks rounded up for whoever waits, down for whoever stops.
/// </summary>
public sealed class TimestampTests
{
    [Fact]
    public void Never_stays_never_whatever_span_is_added_or_subtracted()
    {
        (Timestamp.Never + new TickSpan(1)).Should().Be(Timestamp.Never);
        (Timestamp.Never + new TickSpan(long.MaxValue)).Should().Be(Timestamp.Never);
        (Timestamp.Never + new TickSpan(-5)).Should().Be(Timestamp.Never);
        (Timestamp.Never - new TickSpan(5)).Should().Be(Timestamp.Never);
    }

    [Fact]
    public void Adding_past_the_end_of_the_clock_saturates_at_never_instead_of_wrapping_into_the_past()
    {
        var late = new Timestamp(long.MaxValue - 10);

        (late + new TickSpan(100)).Should().Be(Timestamp.Never);
        (late + new TickSpan(10)).Should().Be(Timestamp.Never);
        (late + new TickSpan(9)).Should().Be(new Timestamp(long.MaxValue - 1));
        (new Timestamp(long.MinValue + 5) - new TickSpan(10)).Ticks.Should().Be(long.MinValue);
        (new Timestamp(long.MinValue + 5) + new TickSpan(-10)).Ticks.Should().Be(long.MinValue);
    }

    [Fact]
    public void Moments_and_spans_add_and_subtract_as_their_ticks_do()
    {
        var at = new Timestamp(1_000);

        (at + new TickSpan(250)).Should().Be(new Timestamp(1_250));
        (at - new TickSpan(250)).Should().Be(new Timestamp(750));
        (new Timestamp(1_250) - at).Should().Be(new TickSpan(250));
        (at - new Timestamp(1_250)).Should().Be(new TickSpan(-250));
        (Timestamp.Never - new Timestamp(-1)).Should().Be(new TickSpan(long.MaxValue), "the difference saturates too");
    }

    [Fact]
    public void Moments_compare_by_their_ticks_with_long_ago_first_and_never_last()
    {
        var early = new Timestamp(5);
        var late = new Timestamp(6);

        (Timestamp.LongAgo < early).Should().BeTrue();
        (early < late).Should().BeTrue();
        (late < early).Should().BeFalse();
        (late > early).Should().BeTrue();
        (early > late).Should().BeFalse();
        (early <= new Timestamp(5)).Should().BeTrue();
        (late <= early).Should().BeFalse();
        (early >= new Timestamp(5)).Should().BeTrue();
        (early >= late).Should().BeFalse();
        (late < Timestamp.Never).Should().BeTrue();
        Timestamp.LongAgo.Should().Be(default(Timestamp), "a deadline nothing has set yet has already passed");
        Timestamp.Max(early, late).Should().Be(late);
        Timestamp.Max(late, early).Should().Be(late);
        Timestamp.Min(early, late).Should().Be(early);
        Timestamp.Min(late, early).Should().Be(early);
        new[] { Timestamp.Never, late, Timestamp.LongAgo, early }.Order().Should().Equal(Timestamp.LongAgo, early, late, Timestamp.Never);
    }

    [Fact]
    public void Spans_compare_by_their_ticks()
    {
        (new TickSpan(-1) < TickSpan.Zero).Should().BeTrue();
        (TickSpan.Zero < new TickSpan(-1)).Should().BeFalse();
        (new TickSpan(1) > TickSpan.Zero).Should().BeTrue();
        (TickSpan.Zero > new TickSpan(1)).Should().BeFalse();
        (new TickSpan(0) <= TickSpan.Zero).Should().BeTrue();
        (new TickSpan(1) <= TickSpan.Zero).Should().BeFalse();
        (new TickSpan(0) >= TickSpan.Zero).Should().BeTrue();
        (new TickSpan(-1) >= TickSpan.Zero).Should().BeFalse();
        TickSpan.Max(TickSpan.Zero, new TickSpan(-3)).Should().Be(TickSpan.Zero);
        TickSpan.Max(new TickSpan(3), TickSpan.Zero).Should().Be(new TickSpan(3));
        new[] { new TickSpan(2), new TickSpan(-2), TickSpan.Zero }.Order().Should().Equal(new TickSpan(-2), TickSpan.Zero, new TickSpan(2));
    }

    [Fact]
    public void A_span_between_ticks_rounds_up_for_whoever_waits_and_down_for_whoever_stops()
    {
        // Three ticks a second: half a second is a tick and a half.
        var clock = new Clock(frequency: 3);

        clock.SpanRoundedUp(TimeSpan.FromMilliseconds(500)).Should().Be(new TickSpan(2));
        clock.SpanRoundedDown(TimeSpan.FromMilliseconds(500)).Should().Be(new TickSpan(1));
        clock.SpanRoundedUp(TimeSpan.FromMilliseconds(1)).Should().Be(new TickSpan(1), "a wait is never rounded away");
        clock.SpanRoundedDown(TimeSpan.FromMilliseconds(1)).Should().Be(TickSpan.Zero);
    }

    [Fact]
    public void A_span_of_whole_ticks_is_not_moved_by_rounding()
    {
        var clock = new Clock(frequency: 3);

        clock.SpanRoundedUp(TimeSpan.FromSeconds(2)).Should().Be(new TickSpan(6));
        clock.SpanRoundedDown(TimeSpan.FromSeconds(2)).Should().Be(new TickSpan(6));
        clock.SpanRoundedUp(TimeSpan.Zero).Should().Be(TickSpan.Zero);
    }

    [Fact]
    public void Now_and_the_time_until_or_since_a_moment_are_read_on_the_providers_clock()
    {
        // A thousand ticks a second: a tick is a millisecond.
        var clock = new Clock(frequency: 1_000) { Ticks = 50_000 };
        var deadline = clock.Now() + clock.SpanRoundedUp(TimeSpan.FromSeconds(2));

        clock.Now().Should().Be(new Timestamp(50_000));
        deadline.Should().Be(new Timestamp(52_000));
        clock.TimeUntil(deadline).Should().Be(TimeSpan.FromSeconds(2));
        clock.Ticks += 2_500;
        clock.TimeUntil(deadline).Should().Be(TimeSpan.FromMilliseconds(-500), "a deadline that has passed leaves a negative wait");
        clock.TimeSince(new Timestamp(50_000)).Should().Be(TimeSpan.FromMilliseconds(2_500));
        clock.ToTimeSpan(new TickSpan(1_500)).Should().Be(TimeSpan.FromMilliseconds(1_500));
        clock.TimeUntil(Timestamp.Never).Should().BeGreaterThan(TimeSpan.FromDays(365), "a deadline that never comes is never near");
    }

    // A clock at any frequency, moved by hand: the node's own provider may count in nanoseconds.
    private sealed class Clock(long frequency) : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => frequency;

        public override long GetTimestamp() => Ticks;
    }
}
