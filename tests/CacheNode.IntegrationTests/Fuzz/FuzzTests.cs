namespace CacheNode.IntegrationTests.Fuzz;

/// <summary>
/// Hostile input against the real process: every valid request answered once with the model's answer,
/// every broken line answered or logged as documented, and the node alive to the end. CI runs a short
/// seeded run; scripts/fuzz.sh runs long ones (FUZZ_LINES, FUZZ_SEED).
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public async Task Hostile_lines_get_exactly_the_documented_answers()
    {
        var lines = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_LINES"), out var n) ? n : 20_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : 1;

        var report = await FuzzRun.RunAsync(seed, lines);

        Console.WriteLine($"fuzz seed {seed}: {report.Lines} lines, {report.Replies} replies, {report.Dropped} dropped as documented, {report.Elapsed.TotalSeconds:0.0} s, {report.Faults.Count} faults");
        report.Faults.Should().BeEmpty($"seed {seed} must get the documented answer to every line");
    }
}
