using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class NonLinearizableHistoryTests
{
    [Fact]
    public void Stale_read_after_a_completed_write_is_invalid()
    {
        var history = new HistoryBuilder()
            .Write(0, 0, 1, 0)
            .Write(0, 2, 3, 1)
            .Read(1, 4, 5, 0);
        var result = history.Check();

        result.Verdict.Should().Be(Verdict.Invalid);
        result.Valid.Should().BeFalse();
        result.Culprit.Should().Be(history.Last);
        result.Explanation.Should().Contain("it read 0").And.Contain("holding 1");
    }

    [Fact]
    public void Two_cas_from_the_same_value_cannot_both_succeed_one_after_the_other()
    {
        var history = new HistoryBuilder()
            .Write(0, 0, 1, 0)
            .Cas(1, 2, 3, 0, 1)
            .Cas(2, 4, 5, 0, 2);
        var result = history.Check();

        result.Verdict.Should().Be(Verdict.Invalid);
        result.Culprit.Should().Be(history.Last);
        result.Explanation.Should().Contain("it needs 0");
    }

    [Fact]
    public void Two_concurrent_cas_from_the_same_value_cannot_both_succeed()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 0)
            .Cas(1, 2, 6, 0, 1)
            .Cas(2, 3, 7, 0, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Read_of_a_value_never_written_is_invalid()
    {
        var history = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Read(1, 0, 5, 3);

        history.Check().Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Read_of_nil_after_a_completed_write_is_invalid()
    {
        var history = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Read(1, 2, 3, null);
        var result = history.Check();

        result.Verdict.Should().Be(Verdict.Invalid);
        result.Explanation.Should().Contain("it read nil");
    }

    [Fact]
    public void Reads_cannot_go_back_to_an_older_value_once_a_read_saw_the_new_one()
    {
        // Second read starts after the first completed: having seen 2, nobody may see 1 again.
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Write(0, 2, 20, 2)
            .Read(1, 3, 5, 2)
            .Read(2, 6, 8, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Concurrent_writes_cannot_explain_reads_in_both_orders()
    {
        // After both writes completed, the register holds one of them for good.
        var result = new HistoryBuilder()
            .Write(0, 0, 10, 1)
            .Write(1, 0, 10, 2)
            .Read(2, 11, 12, 1)
            .Read(2, 13, 14, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Cas_on_a_missing_key_cannot_succeed()
    {
        new HistoryBuilder().Cas(0, 0, 1, 0, 1).Check().Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Failed_write_did_not_happen()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Write(1, 2, 3, 2, OpStatus.Fail)
            .Read(0, 4, 5, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Failed_cas_and_failed_read_are_ignored()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Cas(1, 2, 3, 4, 2, OpStatus.Fail)
            .Read(0, 4, 5, 3, OpStatus.Fail)
            .Read(0, 6, 7, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Report_names_the_first_operation_that_cannot_be_linearized_and_a_small_slice()
    {
        var history = new HistoryBuilder();
        for (var i = 0; i < 40; i++)
        {
            history.Write(i % 3, 10 * i, (10 * i) + 5, i % 5).Read((i + 1) % 3, (10 * i) + 6, (10 * i) + 9, i % 5);
        }

        history.Read(0, 1000, 1001, 3);
        var stale = history.Last;
        history.Read(1, 1010, 1011, 4).Read(2, 1012, 1013, 2);
        var result = history.Check();

        result.Verdict.Should().Be(Verdict.Invalid);
        result.Culprit.Should().Be(stale);
        result.Slice.Should().Contain(stale).And.HaveCountLessThanOrEqualTo(15);
        result.Slice.Should().Contain(history.Ops[78], "the last write before the stale read decides what it should see");
        result.Slice.Should().BeInAscendingOrder(op => op.Invoke);
        result.SliceLines.Should().ContainSingle(line => line.Contains("<- cannot be linearized", StringComparison.Ordinal))
            .Which.Should().Contain("#80 p0 read k -> 3 [Ok]  1000.000 .. 1001.000 ms");
        result.Explanation.Should().Contain("#80").And.Contain("The 80 ok operations that completed before it can be linearized");
    }
}
