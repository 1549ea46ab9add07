using CacheNode.Maelstrom.Checking;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class LinearizableHistoryTests
{
    [Fact]
    public void Sequential_writes_and_reads_are_valid()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Read(1, 2, 3, 1)
            .Write(1, 4, 5, 2)
            .Read(0, 6, 7, 2)
            .Read(1, 8, 9, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
        result.Valid.Should().BeTrue();
        result.Key.Should().Be("k");
        result.Culprit.Should().BeNull();
        result.Slice.Should().BeEmpty();
        result.StatesExplored.Should().BePositive();
    }

    [Fact]
    public void Reads_of_nil_before_any_write_are_valid()
    {
        var result = new HistoryBuilder()
            .Read(0, 0, 1, null)
            .Read(1, 2, 3, null)
            .Write(0, 4, 5, 3)
            .Read(1, 6, 7, 3)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Empty_history_is_valid()
    {
        LinearizabilityChecker.Check([]).Verdict.Should().Be(Verdict.Valid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Read_concurrent_with_a_write_may_see_the_old_or_the_new_value(int seen)
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Write(0, 2, 10, 2)
            .Read(1, 3, 5, seen)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Overlapping_reads_may_see_new_then_old_if_the_old_one_can_take_effect_first()
    {
        // The reads overlap each other and the write: the read of 1 can take effect before the write and
        // the read of 2 after it, although the read of 2 was invoked first.
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Write(0, 2, 20, 2)
            .Read(1, 3, 10, 2)
            .Read(2, 4, 12, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Concurrent_writes_are_ordered_to_explain_the_reads_after_them()
    {
        // Both writes overlap; the later reads only make sense if 2 took effect before 1.
        var result = new HistoryBuilder()
            .Write(0, 0, 10, 1)
            .Write(1, 0, 10, 2)
            .Read(2, 5, 6, 2)
            .Read(2, 11, 12, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Cas_chain_is_valid()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 0)
            .Cas(1, 2, 3, 0, 1)
            .Cas(0, 4, 5, 1, 2)
            .Read(1, 6, 7, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Concurrent_cas_chain_is_valid_in_the_only_order_that_works()
    {
        // Listed and invoked in the "wrong" order: 3->4 first, but only 2->3 then 3->4 is legal.
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 2)
            .Cas(1, 10, 20, 3, 4)
            .Cas(2, 11, 19, 2, 3)
            .Read(0, 21, 22, 4)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Cas_that_does_not_change_the_value_is_valid_where_the_value_holds()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 3)
            .Cas(1, 2, 3, 3, 3)
            .Read(0, 4, 5, 3)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }
}
