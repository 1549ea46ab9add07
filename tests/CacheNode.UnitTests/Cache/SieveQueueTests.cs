using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Threading;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cache;

public sealed class SieveQueueTests
{
    [Fact]
    public void Victim_is_the_oldest_entry_not_visited_since_the_hand_passed()
    {
        var queue = new SieveQueue();
        var entries = Enumerable.Range(0, 4).Select(NewEntry).ToList();
        entries.ForEach(queue.Add);
        entries[0].Visited = true;
        entries[1].Visited = true;

        queue.SelectVictim().Should().BeSameAs(entries[2]);
        entries[0].Visited.Should().BeFalse("the hand clears the bits it passes");
        entries[1].Visited.Should().BeFalse();
    }

    [Fact]
    public void When_every_entry_was_visited_the_hand_wraps_around_and_evicts_the_oldest()
    {
        var queue = new SieveQueue();
        var entries = Enumerable.Range(0, 3).Select(NewEntry).ToList();
        entries.ForEach(e =>
        {
            queue.Add(e);
            e.Visited = true;
        });

        queue.SelectVictim().Should().BeSameAs(entries[0]);
    }

    [Fact]
    public void Hand_resumes_where_it_stopped()
    {
        var queue = new SieveQueue();
        var entries = Enumerable.Range(0, 4).Select(NewEntry).ToList();
        entries.ForEach(queue.Add);

        var first = queue.SelectVictim()!;
        queue.Remove(first);
        entries[1].Visited = true;
        var second = queue.SelectVictim()!;

        first.Should().BeSameAs(entries[0]);
        second.Should().BeSameAs(entries[2], "entry 1 was visited, so the hand skips it");
    }

    [Fact]
    public void Removing_entries_keeps_the_count_and_empty_queue_has_no_victim()
    {
        var queue = new SieveQueue();
        var entries = Enumerable.Range(0, 3).Select(NewEntry).ToList();
        entries.ForEach(queue.Add);
        entries.ForEach(queue.Remove);

        queue.Count.Should().Be(0);
        queue.SelectVictim().Should().BeNull();
    }

    private static CacheEntry NewEntry(int key) => new(Int(key), ReadResult.Of(Int(key)), Timestamp.LongAgo, Timestamp.Never, TickSpan.Zero, Timestamp.Never);
}
