using System.Globalization;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Report;
using CacheNode.Maelstrom.Run;

// A local, Maelstrom-compatible test runner: `test -w lin-kv --bin PATH --node-count 3 ...`.
// `compare DIR...` prints a Markdown table of finished runs; `compare --writes DIR...` their write side.
// Exit code: 0 valid, 1 invalid or unknown, 2 bad usage.
if (args is ["compare", .. var runs])
{
    try
    {
        Console.Write(runs is ["--writes", .. var writeRuns] ? ComparisonTable.BuildWrites(writeRuns) : ComparisonTable.Build(runs));
        return 0;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync($"maelstrom compare: {ex.Message}");
        return 2;
    }
}

RunnerOptions options;
try
{
    options = RunnerOptionsParser.Parse(args);
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"maelstrom: {ex.Message}\n{RunnerOptionsParser.Usage}");
    return 2;
}

var result = await new TestRun(options, Console.Out).ExecuteAsync();
var summary = RunSummary.Of(result);
await ReportWriter.WriteAsync(result, summary);

foreach (var failure in result.Failures)
{
    Console.WriteLine($"run failure: {failure}");
}

foreach (var line in summary.Lines())
{
    Console.WriteLine(line);
}

foreach (var detail in result.Verdict.Details)
{
    Console.WriteLine(detail);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check took {result.CheckDuration.TotalSeconds:0.00} s; runner CPU {result.RunnerCpuSeconds:0.0} s, nodes CPU {result.NodesCpuSeconds:0.0} s"));
Console.WriteLine($"report: {Path.Combine(result.StoreDirectory, "index.html")}");
Console.WriteLine($"{ReportWriter.VerdictWord(result.Valid)}: {result.Verdict.Summary}");
return result.Valid == true ? 0 : 1;
