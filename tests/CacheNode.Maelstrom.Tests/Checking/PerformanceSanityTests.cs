using System.Diagnostics;
using System.Globalization;
using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;
using Xunit.Abstractions;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>Large histories must finish (no timing assertions: CI machines vary); times go to the test output.</summary>
public sealed class PerformanceSanityTests(ITestOutputHelper output)
{
    [Fact]
    public void Large_random_history_is_valid()
    {
        var ops = RandomHistories.Linearizable(new Random(42), count: 2000, processes: 10, infoRate: 0.03);

        var clock = Stopwatch.StartNew();
        var result = LinearizabilityChecker.Check(ops);
        clock.Stop();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ops.Count} ops: {result.Explanation}; {clock.Elapsed.TotalMilliseconds:0} ms"));
        result.Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public void Large_random_history_with_a_late_impossible_read_is_invalid()
    {
        var ops = RandomHistories.Linearizable(new Random(7), count: 2000, processes: 10, infoRate: 0.03);
        var victim = ops.Last(op => op.Kind == OpKind.Read && op.Status == OpStatus.Ok);
        ops[ops.IndexOf(victim)] = victim with { Value = 99 };

        var clock = Stopwatch.StartNew();
        var result = LinearizabilityChecker.Check(ops);
        clock.Stop();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ops.Count} ops: {result.Explanation}; {clock.Elapsed.TotalMilliseconds:0} ms"));
        result.Verdict.Should().Be(Verdict.Invalid);
        result.Culprit!.Id.Should().Be(victim.Id);
    }
}
