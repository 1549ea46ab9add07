using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>The two semantics the search runs under, each against the brute-force specification.</summary>
public sealed class SearchModeTests
{
    [Fact]
    public void Repeatable_info_cannot_refute_a_history_that_needs_an_info_write_twice_and_does_not_claim_it_valid()
    {
        var ops = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .Read(0, 10, 11, 2)
            .Write(0, 12, 13, 1)
            .Read(0, 14, 15, 2)
            .Ops;

        Run(ops, SearchMode.Exact).Should().Be(Verdict.Invalid);
        Run(ops, SearchMode.RepeatableInfo).Should().Be(Verdict.Unknown, "its linearization uses the one info write twice");
    }

    [Fact]
    public void Repeatable_info_accepts_a_linearization_that_uses_each_info_write_once()
    {
        var ops = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .InfoWrite(2, 3, 2)
            .Read(0, 10, 11, 2)
            .Write(0, 12, 13, 1)
            .Read(0, 14, 15, 2)
            .Ops;

        Run(ops, SearchMode.RepeatableInfo).Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Repeatable_info_does_not_use_an_info_write_before_it_was_invoked()
    {
        // Reusing the first info write would do, but the second use comes before the second write was invoked.
        var ops = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .InfoWrite(1, 2, 2)
            .Read(0, 10, 11, 2)
            .Write(0, 12, 13, 1)
            .Read(0, 14, 15, 2)
            .InfoWrite(2, 16, 2)
            .Ops;

        Run(ops, SearchMode.Exact).Should().Be(Verdict.Invalid);
        Run(ops, SearchMode.RepeatableInfo).Should().Be(Verdict.Unknown);
    }

    [Fact]
    public void Both_modes_agree_with_brute_force_where_they_claim_anything()
    {
        var claims = new Dictionary<(SearchMode, Verdict), int>();
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var ops = RandomHistories.Linearizable(random, random.Next(1, 12), random.Next(1, 4), 0.3, maxGap: 2, maxDuration: 4, unitNanos: 1, values: 3);
            var victim = ops.Count > 0 ? ops[random.Next(ops.Count)] : null;
            ops = [.. ops.Select(op => op == victim && random.Next(2) == 0 ? op with { Value = random.Next(3) } : op)];
            var expected = ReferenceChecker.IsLinearizable(ops) ? Verdict.Valid : Verdict.Invalid;

            foreach (var mode in new[] { SearchMode.Exact, SearchMode.RepeatableInfo })
            {
                var actual = Run(ops, mode);
                if (mode == SearchMode.Exact || actual != Verdict.Unknown)
                {
                    actual.Should().Be(expected, "seed {0}, {1}: {2}", seed, mode, string.Join("; ", ops.Select(CheckResult.Describe)));
                }

                claims[(mode, actual)] = claims.GetValueOrDefault((mode, actual)) + 1;
            }
        }

        claims.GetValueOrDefault((SearchMode.RepeatableInfo, Verdict.Invalid)).Should().BeGreaterThan(100);
        claims.GetValueOrDefault((SearchMode.RepeatableInfo, Verdict.Valid)).Should().BeGreaterThan(100);
    }

    private static Verdict Run(IReadOnlyList<Operation> ops, SearchMode mode) =>
        new LinearizabilitySearch(PreparedHistory.From(ops), mode, 1_000_000, CancellationToken.None).Run().Verdict;
}
