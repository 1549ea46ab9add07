using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Threading;
using CacheNode.WriteBehind;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

public sealed class DirtyBufferTests
{
    private const long Delay = 100;
    private static readonly TickSpan DelaySpan = new(Delay);
    private static readonly Func<RawJson, bool> Always = _ => true;
    // The timestamps are the tests' own, passed in; the clock only sets how many ticks make a second
    // (a parked key is looked at again a twentieth of a second later), the same on every machine.
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Key_waiting_out_a_retry_backoff_does_not_hold_back_keys_behind_it()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 1, now: 0);
        var first = buffer.TakeDue(max: 10, now: At(Delay), DelaySpan, urgent: false, Always, out _).Single();
        buffer.Complete(first, succeeded: false, retryAt: At(1_000_000));

        Stage(buffer, 2, 20, version: 2, now: Delay);
        var next = buffer.TakeDue(max: 10, now: At(2 * Delay), DelaySpan, urgent: false, Always, out var nextDueAt);

        next.Select(s => s.Key).Should().Equal(Int(2));
        nextDueAt.Should().Be(At(1_000_000), "key 1 is due again when its backoff ends");
        buffer.TakeDue(max: 10, now: At(1_000_000), DelaySpan, urgent: false, Always, out _).Select(s => s.Key).Should().Equal(Int(1));
    }

    [Fact]
    public void Keys_become_due_in_the_order_they_became_dirty_and_urgent_skips_the_delay()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 1, now: 0);
        Stage(buffer, 2, 20, version: 2, now: 50);

        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, Always, out var nextDueAt).Select(s => s.Key).Should().Equal(Int(1));
        nextDueAt.Should().Be(At(50 + Delay));
        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: true, Always, out _).Select(s => s.Key).Should().Equal(Int(2));
    }

    [Fact]
    public void Write_during_a_flush_keeps_the_key_dirty_with_the_newer_value()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 1, now: 0);
        var taken = buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, Always, out _).Single();
        Stage(buffer, 1, 11, version: 2, now: Delay).Should().Be(StageResult.Coalesced);

        buffer.Complete(taken, succeeded: true, retryAt: Timestamp.LongAgo).Removed.Should().BeFalse("the key is still dirty: its write is not over");
        buffer.TryGet(Int(1), out var value).Should().BeTrue();
        value.Should().Be(Int(11));
        var second = buffer.TakeDue(10, now: At(3 * Delay), DelaySpan, urgent: false, Always, out _).Single();
        second.Version.Should().Be(2);
        buffer.Complete(second, succeeded: true, retryAt: Timestamp.LongAgo).Removed.Should().BeTrue();
        buffer.Count.Should().Be(0);
    }

    [Fact]
    public void Key_that_may_not_be_flushed_yet_waits_without_holding_back_the_others_and_goes_once_allowed()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 1, now: 0);
        Stage(buffer, 2, 20, version: 2, now: 0);
        var allowed = new HashSet<RawJson> { Int(2) };

        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, allowed.Contains, out var nextDueAt).Select(s => s.Key).Should().Equal(Int(2));
        nextDueAt.Should().BeLessThan(Timestamp.Never, "a parked key is looked at again");
        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, allowed.Contains, out _).Should().BeEmpty();

        allowed.Add(Int(1));
        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, allowed.Contains, out _).Select(s => s.Key).Should().Equal(Int(1));
    }

    [Fact]
    public void Adopted_entry_never_replaces_a_newer_version_and_joins_the_queue_when_new()
    {
        var buffer = new DirtyBuffer(capacity: 1, _time);
        Stage(buffer, 1, 10, version: 5, now: 0);

        buffer.Adopt(Int(1), Int(9), version: 4, now: At(0), Ticket(1)).Should().Be(AdoptOutcome.Kept);
        buffer.TryGet(Int(1), out var kept).Should().BeTrue();
        kept.Should().Be(Int(10));

        buffer.Adopt(Int(2), Int(20), version: 3, now: At(0), Ticket(2)).Should().Be(AdoptOutcome.Added, "recovered entries are taken whatever the capacity");
        buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, Always, out _).Select(s => (s.Key, s.Version)).Should().Equal((Int(1), 5L), (Int(2), 3L));
    }

    [Fact]
    public void Forget_drops_an_entry_no_newer_than_the_version_flushed_elsewhere_and_its_flush_in_flight_no_longer_counts()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 5, now: 0);
        var inFlight = buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, Always, out _).Single();

        buffer.Forget(Int(1), throughVersion: 4).Removed.Should().BeFalse("version 5 is newer than what was flushed elsewhere");
        buffer.Forget(Int(1), throughVersion: 5).Removed.Should().BeTrue();
        buffer.Count.Should().Be(0);
        buffer.Complete(inFlight, succeeded: false, retryAt: Timestamp.LongAgo).Removed.Should().BeFalse();
        buffer.TakeDue(10, now: At(10 * Delay), DelaySpan, urgent: true, Always, out _).Should().BeEmpty("a forgotten key is not retried");
    }

    [Fact]
    public void Outcome_of_a_forgotten_entrys_flush_says_nothing_about_a_later_entry_of_the_same_key()
    {
        var buffer = new DirtyBuffer(capacity: 10, _time);
        Stage(buffer, 1, 10, version: 5, now: 0);
        var old = buffer.TakeDue(10, now: At(Delay), DelaySpan, urgent: false, Always, out _).Single();
        buffer.Forget(Int(1), throughVersion: 5);
        Stage(buffer, 1, 11, version: 6, now: Delay);
        var current = buffer.TakeDue(10, now: At(2 * Delay), DelaySpan, urgent: false, Always, out _).Single();

        buffer.Complete(old, succeeded: true, retryAt: Timestamp.LongAgo).Removed.Should().BeFalse();

        buffer.TakeDue(10, now: At(10 * Delay), DelaySpan, urgent: true, Always, out _).Should().BeEmpty("version 6 is still in flight: one flush per key");
        buffer.Complete(current, succeeded: true, retryAt: Timestamp.LongAgo).Removed.Should().BeTrue();
        buffer.Count.Should().Be(0);
    }

    [Fact]
    public void A_write_staged_at_the_version_recovery_already_took_back_keeps_it_and_makes_no_version_up()
    {
        // The owner took this write's copy back from its backup (recovery) before the write's own
        // confirmation arrived; the backup holds the value at version 5.
        var buffer = new DirtyBuffer(capacity: 10, _time);
        buffer.Adopt(Int(1), Int(10), 5, At(0), ticket: null).Should().Be(AdoptOutcome.Added);

        Stage(buffer, 1, 10, version: 5, now: Delay).Should().Be(StageResult.Coalesced);
        Stage(buffer, 1, 9, version: 4, now: Delay).Should().Be(StageResult.Coalesced, "an older write never replaces a newer one");

        var taken = buffer.TakeDue(10, now: At(3 * Delay), DelaySpan, urgent: true, Always, out _).Single();
        taken.Version.Should().Be(5, "a made-up version 6 would collide with the next write's, which the backup holds under 6");
        taken.Value.Should().Be(Int(10));
    }

    private static StageResult Stage(DirtyBuffer buffer, long key, long value, long version, long now) =>
        buffer.TryStage(Int(key), Int(value), version, At(now), Ticket(key));

    private static Timestamp At(long ticks) => new(ticks);

    private static WriteTicket Ticket(long key) => new(Int(key), Epoch: 1, StartedAt: Timestamp.LongAgo, Contended: false);
}
