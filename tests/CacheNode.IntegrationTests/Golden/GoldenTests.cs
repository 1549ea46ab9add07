using System.Text.RegularExpressions;
using CacheNode.IntegrationTests.Harness;

namespace CacheNode.IntegrationTests.Golden;

/// <summary>Runs every file under <c>tests/golden</c> against the real built node, comparing exact stdout lines.</summary>
public sealed class GoldenTests
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(15);
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "golden");

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.golden").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Golden_directory_has_scenarios()
    {
        Scenarios().Should().HaveCountGreaterThan(10);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Node_answers_exactly_as_the_golden_file_says(string name)
    {
        var scenario = GoldenScenario.Parse(name, await File.ReadAllLinesAsync(Path.Combine(Directory, name + ".golden")));
        await using var node = NodeProcess.Start(WithGenerousDeadlines(scenario.Environment), scenario.Args);

        var actual = new List<string>();
        var expected = scenario.Steps.SelectMany(s => s.Expected).ToList();
        if (scenario.Batch)
        {
            foreach (var step in scenario.Steps)
            {
                await node.SendAsync(step.Input);
            }
        }
        else
        {
            foreach (var step in scenario.Steps)
            {
                await node.SendAsync(step.Input);
                for (var i = 0; i < step.Expected.Count; i++)
                {
                    var line = await node.ReadLineAsync(LineTimeout);
                    actual.Add(line ?? "<end of output>");
                    Matches(line, step.Expected[i]).Should().BeTrue($"line {actual.Count} of the output, answering {step.Input}, should be\n{step.Expected[i]}\nbut was\n{line}\nstderr:\n{node.Stderr}");
                }
            }
        }

        node.CloseInput();
        var (exitCode, rest) = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
        actual.AddRange(rest);

        actual.Should().Equal(expected, Matches, $"stdout must match the golden file exactly; stderr:\n{node.Stderr}");
        exitCode.Should().Be(scenario.ExitCode, $"stderr:\n{node.Stderr}");
        foreach (var text in scenario.StderrContains)
        {
            node.Stderr.Should().Contain(text);
        }
    }

    /// <summary>
    /// Exact, except that <c>&lt;ms&gt;</c> in the golden line stands for a whole number of milliseconds
    /// (the age of a dirty entry, a flush lag): the only values that depend on the clock.
    /// </summary>
    private static bool Matches(string? actual, string expected)
    {
        if (actual is null)
        {
            return false;
        }

        if (!expected.Contains(MillisecondsToken, StringComparison.Ordinal))
        {
            return actual == expected;
        }

        var pattern = string.Join("[0-9]+", expected.Split(MillisecondsToken).Select(Regex.Escape));
        return Regex.IsMatch(actual, "^" + pattern + "$");
    }

    private const string MillisecondsToken = "<ms>";

    // A file plays lin-kv, and a loaded machine may take a second to feed its next line: the node's own
    // deadlines are not the subject unless the file sets them.
    private static Dictionary<string, string> WithGenerousDeadlines(IReadOnlyDictionary<string, string> environment)
    {
        var generous = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        generous.TryAdd("CACHENODE_REQUEST_TIMEOUT_MS", "60000");
        generous.TryAdd("CACHENODE_DB_TIMEOUT_MS", "60000");
        return generous;
    }
}
