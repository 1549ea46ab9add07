using CacheNode.Maelstrom.Checking;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class SearchLimitTests
{
    [Fact]
    public void Exhausted_budget_gives_unknown_not_invalid()
    {
        var history = new HistoryBuilder();
        for (var i = 0; i < 50; i++)
        {
            history.Write(0, 10 * i, (10 * i) + 1, i % 5).Read(1, (10 * i) + 2, (10 * i) + 3, i % 5);
        }

        var limited = LinearizabilityChecker.Check(history.Ops, stateBudget: 10);
        var unlimited = LinearizabilityChecker.Check(history.Ops);

        limited.Verdict.Should().Be(Verdict.Unknown);
        limited.Valid.Should().BeFalse();
        limited.Culprit.Should().BeNull();
        limited.Explanation.Should().Contain("search budget exhausted");
        unlimited.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Cancelled_check_gives_unknown()
    {
        var history = new HistoryBuilder().Write(0, 0, 1, 1).Read(1, 2, 3, 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var result = LinearizabilityChecker.Check(history.Ops, cancelled.Token);

        result.Verdict.Should().Be(Verdict.Unknown);
        result.Explanation.Should().Contain("cancelled");
    }
}
