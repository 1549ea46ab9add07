using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class CheckAllTests
{
    [Fact]
    public void Keys_are_checked_independently()
    {
        var valid = new HistoryBuilder("1").Write(0, 0, 1, 1).Read(1, 2, 3, 1).Ops;
        var invalid = new HistoryBuilder("2").Write(0, 0, 1, 1).Read(1, 2, 3, 2).Ops;
        var alsoValid = new HistoryBuilder("10").Write(0, 0, 1, 2).Read(1, 2, 3, 2).Ops;

        var results = LinearizabilityChecker.CheckAll(Interleave(valid, invalid, alsoValid));

        results.Keys.Should().Equal("1", "2", "10");
        results["1"].Verdict.Should().Be(Verdict.Valid);
        results["2"].Verdict.Should().Be(Verdict.Invalid);
        results["2"].Key.Should().Be("2");
        results["10"].Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void A_write_to_one_key_does_not_explain_a_read_of_another()
    {
        var written = new HistoryBuilder("a").Write(0, 0, 1, 7).Ops;
        var read = new HistoryBuilder("b").Read(1, 2, 3, 7).Ops;

        var results = LinearizabilityChecker.CheckAll(Interleave(written, read));

        results["a"].Verdict.Should().Be(Verdict.Valid);
        results["b"].Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public void Every_key_gets_a_result_with_its_own_operation_count()
    {
        var ops = Enumerable.Range(0, 20)
            .SelectMany(key => new HistoryBuilder(key.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Write(0, 0, 1, key % 5).Read(1, 2, 3, key % 5).Read(2, 4, 5, key % 5).Ops)
            .ToList();

        var results = LinearizabilityChecker.CheckAll(ops);

        results.Should().HaveCount(20);
        results.Values.Should().OnlyContain(result => result.Valid && result.OperationCount == 3);
    }

    [Fact]
    public void Check_rejects_operations_of_several_keys()
    {
        var ops = Interleave(new HistoryBuilder("a").Write(0, 0, 1, 1).Ops, new HistoryBuilder("b").Write(0, 0, 1, 1).Ops);

        var check = () => LinearizabilityChecker.Check(ops);

        check.Should().Throw<ArgumentException>();
    }

    private static List<Operation> Interleave(params IReadOnlyList<Operation>[] histories) =>
        [.. histories.SelectMany(history => history).OrderBy(op => op.Invoke)];
}
