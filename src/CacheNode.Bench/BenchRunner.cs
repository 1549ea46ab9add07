using System.Globalization;
using CacheNode.Bench.Configuration;
using CacheNode.Bench.Reporting;
using CacheNode.Bench.Running;
using CacheNode.Bench.Workloads;

namespace CacheNode.Bench;

/// <summary>
/// Runs every measurement in one go, so the figures in the report come from the same machine in the same state
/// and are read as ratios to each other. Progress goes to <c>progress</c> (stderr); the report is the result.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, string nodeDll, TextWriter progress)
{
    private const string DefaultStrategy = "write-through";
    private static readonly string[] Strategies = [DefaultStrategy, "cache-aside", "write-behind"];

    public async Task<BenchReport> RunAsync()
    {
        var machine = MachineInfo.Collect();
        var directory = Directory.CreateTempSubdirectory("cachenode-bench-");
        try
        {
            Log($"generating {options.Requests:N0} requests per workload in {directory.FullName}");
            var mixed = WorkloadGenerator.Mixed(directory.FullName, options.Requests);
            var echo = WorkloadGenerator.Echo(directory.FullName, options.Requests);
            var peer = options.PeerCommand is { } peerCommand ? ChildCommand.Peer(peerCommand) : null;

            var throughput = new List<ThroughputResult>();
            long? peakRss = null;
            throughput.Add((await MeasureAsync(mixed, ChildCommand.Cat(mixed.Path))).Result);
            foreach (var strategy in Strategies)
            {
                var measured = await MeasureAsync(mixed, ChildCommand.CacheNode(nodeDll, strategy), samplePeakRss: strategy == DefaultStrategy);
                throughput.Add(measured.Result);
                peakRss ??= measured.PeakRss;
            }

            // Echo both ways a file reaches a node: through a pipe the bench writes, and as stdin by redirect.
            var echoCommands = new List<ChildCommand> { ChildCommand.Cat(echo.Path), ChildCommand.CacheNode(nodeDll, DefaultStrategy) };
            if (peer is not null)
            {
                echoCommands.Add(peer);
            }

            foreach (var command in echoCommands.Concat(echoCommands.Select(c => c.RedirectedFrom(echo.Path))))
            {
                throughput.Add((await MeasureAsync(echo, command)).Result);
            }

            var startup = new List<StartupResult> { await MeasureStartupAsync(ChildCommand.CacheNode(nodeDll, DefaultStrategy)) };
            if (peer is not null)
            {
                startup.Add(await MeasureStartupAsync(peer));
            }

            return new BenchReport(machine, options.Repeats, options.StartupRuns, throughput, startup, $"CacheNode {DefaultStrategy}", peakRss);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <returns>The runs, and the highest peak RSS seen across them if <paramref name="samplePeakRss"/>.</returns>
    private async Task<(ThroughputResult Result, long? PeakRss)> MeasureAsync(Workload workload, ChildCommand command, bool samplePeakRss = false)
    {
        var seconds = new List<double>();
        var warmSeconds = new List<double>();
        var problems = new List<string>();
        long? peakRss = null;
        for (var run = 1; run <= options.Repeats; run++)
        {
            var result = await PipeRunner.RunAsync(command, workload, samplePeakRss);
            var problem = result.Problem(checkReplies: command.IsNode);
            var repliesAt = result.AllRepliesAt is { } at ? string.Create(CultureInfo.InvariantCulture, $", last reply at {at.TotalSeconds:F3} s") : "";
            var rss = result.PeakRssBytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", peak RSS {bytes / (1024.0 * 1024.0):F1} MiB") : "";
            Log($"{workload.Name} | {command.Label} | {command.Feed} | run {run}/{options.Repeats}: {result.Elapsed.TotalSeconds:F3} s{repliesAt}{rss}");
            if (problem is not null)
            {
                Log($"  FAILED: {problem}");
                Log($"  its stderr ended with: {result.StderrTail}");
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"run {run}: {problem}"));
                continue;
            }

            seconds.Add(result.Elapsed.TotalSeconds);
            if (result.Warm is { } warm)
            {
                warmSeconds.Add(warm.TotalSeconds);
            }
            if (result.PeakRssBytes is { } peak)
            {
                peakRss = Math.Max(peakRss ?? 0, peak);
            }
        }

        return (new ThroughputResult(workload.Name, command, workload.Requests, seconds, warmSeconds, problems), peakRss);
    }

    private async Task<StartupResult> MeasureStartupAsync(ChildCommand command)
    {
        var milliseconds = new List<double>();
        var idleRss = new List<long>();
        var problems = new List<string>();
        for (var run = 1; run <= options.StartupRuns; run++)
        {
            var sample = await StartupProbe.MeasureAsync(command);
            if (sample.Problem is not null)
            {
                Log($"start-up | {command.Label} | run {run}: FAILED: {sample.Problem}");
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"run {run}: {sample.Problem}"));
                continue;
            }

            milliseconds.Add(sample.ToInitOk.TotalMilliseconds);
            if (sample.IdleRssBytes is { } rss)
            {
                idleRss.Add(rss);
            }
        }

        var result = new StartupResult(command.Label, milliseconds, idleRss, problems);
        if (!result.Failed)
        {
            Log($"start-up | {command.Label}: median {result.MedianMs:F1} ms, p90 {result.P90Ms:F1} ms, idle RSS {result.MedianIdleRssMiB:F1} MiB");
        }

        return result;
    }

    private void Log(FormattableString message) => progress.WriteLine(message.ToString(CultureInfo.InvariantCulture));
}
