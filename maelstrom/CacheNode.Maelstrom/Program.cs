using System.Globalization;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Report;
using CacheNode.Maelstrom.Run;

// A local twin of Maelstrom's `test` command: `test -w lin-kv --bin PATH --node-count 3 ...`.
// `compare DIR...` prints a Markdown table of finished runs; `compare --writes DIR...` their write side;
// `compare --faults DIR...` the faults each run met and what it proved; `compare --scale DIR...` what
// each run's cost grows with (database requests, messages per write against holders, background messages);
// `compare --sides DIR...` what each side of the run's partitions did.
// Exit status as Jepsen's cli: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crash.
if (args is ["--version"])
{
    var version = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(RunnerOptions).Assembly)?.InformationalVersion ?? "unknown";
    Console.WriteLine($"CacheNode.Maelstrom {version}: a twin of `maelstrom test` (Maelstrom 0.2.x, Jepsen 0.3.7)");
    return 0;
}

if (RunnerOptionsParser.WantsHelp(args))
{
    Console.WriteLine(RunnerOptionsParser.Usage);
    return 0;
}

if (args is ["compare"] or ["compare", "--writes" or "--faults" or "--scale" or "--sides"])
{
    await Console.Error.WriteLineAsync("usage: maelstrom compare [--writes | --faults | --scale | --sides] RUN_DIR...   (one Markdown row per finished run, from its results.json)");
    return 254;
}

if (args is ["compare", .. var runs])
{
    try
    {
        Console.Write(runs switch
        {
            ["--writes", .. var writeRuns] => ComparisonTable.BuildWrites(writeRuns),
            ["--faults", .. var faultRuns] => ComparisonTable.BuildFaults(faultRuns),
            ["--scale", .. var scaleRuns] => ComparisonTable.BuildScale(scaleRuns),
            ["--sides", .. var sideRuns] => ComparisonTable.BuildSides(sideRuns),
            _ => ComparisonTable.Build(runs),
        });
        return 0;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync($"maelstrom compare: {ex.Message}");
        return 254;
    }
}

RunnerOptions options;
try
{
    options = RunnerOptionsParser.Parse(args);
}
catch (Exception ex) when (ex is UsageException or IOException)
{
    await Console.Error.WriteLineAsync($"maelstrom: {ex.Message}\n{RunnerOptionsParser.Usage}");
    return 254;
}

RunResult result;
try
{
    result = await new TestRun(options, Console.Out).ExecuteAsync();
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync($"maelstrom: the runner broke: {ex}");
    await TryWriteStoreIndexAsync(options.StoreDirectory);
    return 255;
}

var summary = RunSummary.Of(result);
await ReportWriter.WriteAsync(result, summary);
await TryWriteStoreIndexAsync(options.StoreDirectory);

foreach (var failure in result.Failures)
{
    Console.WriteLine($"run failure: {failure}");
}

foreach (var warning in result.Warnings.Take(20))
{
    Console.WriteLine($"warning: {warning}");
}

if (result.Crashes.Count > 0)
{
    foreach (var crash in result.Crashes)
    {
        Console.WriteLine($"crash: {crash}");
    }

    Console.WriteLine($"report: {Path.Combine(result.StoreDirectory, "index.html")}");
    Console.WriteLine($"CRASHED: {result.Crashes[0].Split('\n')[0]}");
    return result.ExitCode;
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
return result.ExitCode;

// store/index.html lists every run; failing to rewrite it must not change the run's verdict or exit status.
static async Task TryWriteStoreIndexAsync(string storeDirectory)
{
    try
    {
        await StoreIndex.WriteAsync(storeDirectory);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"maelstrom: could not rewrite {Path.Combine(storeDirectory, StoreIndex.FileName)}: {ex.Message}");
    }
}
