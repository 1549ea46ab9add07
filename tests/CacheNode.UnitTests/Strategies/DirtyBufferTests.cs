using CacheNode.Cache;
using CacheNode.Strategies;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Strategies;

public sealed class DirtyBufferTests
{
    private const long Delay = 100;

    [Fact]
    public void Key_waiting_out_a_retry_backoff_does_not_hold_back_keys_behind_it()
    {
        var buffer = new DirtyBuffer(capacity: 10);
        buffer.TryStage(Int(1), Int(10), now: 0, Ticket(1));
        var first = buffer.TakeDue(max: 10, now: Delay, Delay, urgent: false, out _).Single();
        buffer.Complete(first, succeeded: false, retryAt: 1_000_000);

        buffer.TryStage(Int(2), Int(20), now: Delay, Ticket(2));
        var next = buffer.TakeDue(max: 10, now: 2 * Delay, Delay, urgent: false, out var nextDueAt);

        next.Select(s => s.Key).Should().Equal(Int(2));
        nextDueAt.Should().Be(1_000_000, "key 1 is due again when its backoff ends");
        buffer.TakeDue(max: 10, now: 1_000_000, Delay, urgent: false, out _).Select(s => s.Key).Should().Equal(Int(1));
    }

    [Fact]
    public void Keys_become_due_in_the_order_they_became_dirty_and_urgent_skips_the_delay()
    {
        var buffer = new DirtyBuffer(capacity: 10);
        buffer.TryStage(Int(1), Int(10), now: 0, Ticket(1));
        buffer.TryStage(Int(2), Int(20), now: 50, Ticket(2));

        buffer.TakeDue(10, now: Delay, Delay, urgent: false, out var nextDueAt).Select(s => s.Key).Should().Equal(Int(1));
        nextDueAt.Should().Be(50 + Delay);
        buffer.TakeDue(10, now: Delay, Delay, urgent: true, out _).Select(s => s.Key).Should().Equal(Int(2));
    }

    [Fact]
    public void Write_during_a_flush_keeps_the_key_dirty_with_the_newer_value()
    {
        var buffer = new DirtyBuffer(capacity: 10);
        buffer.TryStage(Int(1), Int(10), now: 0, Ticket(1));
        var taken = buffer.TakeDue(10, now: Delay, Delay, urgent: false, out _).Single();
        buffer.TryStage(Int(1), Int(11), now: Delay, Ticket(1)).Should().Be(StageResult.Coalesced);

        buffer.Complete(taken, succeeded: true, retryAt: 0).Should().BeNull("the key is still dirty: its write is not over");
        buffer.TryGet(Int(1), out var value).Should().BeTrue();
        value.Should().Be(Int(11));
        var second = buffer.TakeDue(10, now: 3 * Delay, Delay, urgent: false, out _).Single();
        buffer.Complete(second, succeeded: true, retryAt: 0).Should().NotBeNull();
        buffer.Count.Should().Be(0);
    }

    private static WriteTicket Ticket(long key) => new(Int(key), Epoch: 1, StartedAt: 0, Contended: false);
}
