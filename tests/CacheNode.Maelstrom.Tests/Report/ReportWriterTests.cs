using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Report;
using static CacheNode.Maelstrom.Tests.Report.SyntheticRun;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>What a finished run leaves in its folder.</summary>
public sealed class ReportWriterTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("report-writer-").FullName;

    [Fact]
    public async Task A_run_folder_gets_its_report_timeline_and_results_naming_strategy_and_command_line()
    {
        var run = Path.Combine(_store, "lin-kv", "20261202T010203.456");
        Directory.CreateDirectory(run);
        var result = Result(Options(("CACHENODE_STRATEGY", "write-behind")), InvalidHistory(), run);

        await ReportWriter.WriteAsync(result, RunSummary.Of(result));

        Directory.GetFiles(run).Select(Path.GetFileName).Should().Contain(["index.html", "timeline.html", "results.json", "history.jsonl", "latency.svg", "rate.svg"]);
        var options = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "results.json")))!["options"]!;
        options["strategy"]!.GetValue<string>().Should().Be("write-behind");
        options["command_line"]!.GetValue<string>().Should().StartWith("scripts/runner test -w lin-kv").And.Contain("--env CACHENODE_STRATEGY=write-behind");
        (await File.ReadAllTextAsync(Path.Combine(run, "index.html"))).Should().Contain("href=\"timeline.html\"");
    }

    public void Dispose() => Directory.Delete(_store, recursive: true);
}
