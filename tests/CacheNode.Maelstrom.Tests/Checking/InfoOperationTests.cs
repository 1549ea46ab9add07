using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>Indeterminate (Info) operations may or may not have happened, at any time after invocation.</summary>
public sealed class InfoOperationTests
{
    [Fact]
    public void Read_explained_only_by_an_info_write_needs_that_write_to_have_happened()
    {
        var withInfo = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .Read(0, 10, 11, 2);
        var withoutInfo = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Read(0, 10, 11, 2);

        withInfo.Check().Verdict.Should().Be(Verdict.Valid);
        withoutInfo.Check().Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Info_write_must_be_placed_after_reads_that_did_not_see_it()
    {
        // The info write of 2 cannot take effect before the read of 1 at 10..11, but must before 20..21.
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .Read(0, 10, 11, 1)
            .Read(0, 20, 21, 2)
            .Read(2, 22, 23, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Info_write_may_be_left_out_entirely()
    {
        // No read ever sees 2 or 4: valid with both indeterminate operations left out (or put after everything).
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .InfoCas(2, 3, 2, 4)
            .Read(0, 10, 11, 1)
            .Read(0, 20, 21, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Info_write_cannot_explain_a_read_that_completed_before_it_was_invoked()
    {
        var result = new HistoryBuilder()
            .Read(0, 0, 5, 2)
            .InfoWrite(1, 6, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Info_write_invoked_exactly_when_a_read_completes_can_explain_it()
    {
        var result = new HistoryBuilder()
            .Read(0, 0, 5, 2)
            .InfoWrite(1, 5, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, false)]
    public void Info_cas_takes_effect_only_if_its_precondition_holds(int from, bool linearizable)
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoCas(1, 2, from, 2)
            .Read(0, 10, 11, 2)
            .Check();

        result.Verdict.Should().Be(linearizable ? Verdict.Valid : Verdict.Invalid);
    }

    [Fact]
    public void Info_read_constrains_nothing()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoRead(1, 2, value: 4)
            .Read(0, 10, 11, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void Each_info_write_happens_at_most_once(int infoWritesOfTwo, bool linearizable)
    {
        // Two reads of 2 separated by a completed write of 1 need two writes of 2.
        var history = new HistoryBuilder().Write(0, 0, 1, 1);
        for (var i = 0; i < infoWritesOfTwo; i++)
        {
            history.InfoWrite(1 + i, 2 + i, 2);
        }

        var result = history
            .Read(0, 10, 11, 2)
            .Write(0, 12, 13, 1)
            .Read(0, 14, 15, 2)
            .Check();

        result.Verdict.Should().Be(linearizable ? Verdict.Valid : Verdict.Invalid);
    }

    [Fact]
    public void Info_cas_chain_can_explain_a_read()
    {
        // 1 -> (info cas 1->3) -> (info cas 3->4): the read of 4 needs both, in that order.
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoCas(1, 2, 3, 4)
            .InfoCas(2, 3, 1, 3)
            .Read(0, 10, 11, 4)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Info_operations_alone_are_valid()
    {
        var result = new HistoryBuilder()
            .InfoWrite(0, 0, 1)
            .InfoCas(1, 1, 2, 3)
            .InfoRead(2, 2)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid);
        result.OperationCount.Should().Be(3);
    }

    [Fact]
    public void Info_status_wins_over_a_recorded_completion_time()
    {
        // Even with a completion time, an indeterminate write may take effect after it.
        var history = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .Read(0, 4, 5, 1)
            .Read(0, 6, 7, 2);
        var ops = history.Ops.Select(op => op.Status == OpStatus.Info ? op with { Complete = 3_000_000 } : op).ToList();

        LinearizabilityChecker.Check(ops).Verdict.Should().Be(Verdict.Valid);
    }
}
