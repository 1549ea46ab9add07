using CacheNode.Bench;
using CacheNode.Bench.Configuration;
using CacheNode.Bench.Reporting;

// Exit codes: 0 all runs good, 1 some run produced wrong or missing replies, 2 bad arguments.
BenchOptions? options;
string nodeDll;
try
{
    options = BenchOptionsParser.Parse(args);
    if (options is null)
    {
        await Console.Out.WriteAsync(BenchOptionsParser.Usage);
        return 0;
    }

    nodeDll = NodeLocator.Locate(options.NodeDll);
}
catch (BenchOptionsException ex)
{
    await Console.Error.WriteLineAsync($"cachenode-bench: {ex.Message}");
    return 2;
}

var report = await new BenchRunner(options, nodeDll, Console.Error).RunAsync();
var markdown = MarkdownReport.Render(report);
await Console.Out.WriteAsync(markdown);
if (options.OutFile is not null)
{
    await File.WriteAllTextAsync(options.OutFile, markdown);
}

if (report.Failed)
{
    await Console.Error.WriteLineAsync("cachenode-bench: some measurements failed (see above)");
    return 1;
}

return 0;
