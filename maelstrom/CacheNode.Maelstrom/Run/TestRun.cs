using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Nodes;
using CacheNode.Maelstrom.Services;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Run;

/// <summary>
/// One test, start to end: services and nodes up, <c>init</c> to every node, the workload at the given
/// rate with the nemesis alongside, then heal, quiesce, final reads, <c>stats</c> from every node,
/// shutdown, and the check.
/// </summary>
internal sealed class TestRun(RunnerOptions options, TextWriter console)
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    public async Task<RunResult> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        var store = CreateStoreDirectory();
        var clock = Stopwatch.StartNew();
        var failures = new RunFailures();
        var history = new HistoryRecorder(clock);
        var latency = new LatencyModel(options.LatencyMs, options.LatencyDistribution, new Random(random.Next()));
        await using var messageLog = new MessageLog(Path.Combine(store, "messages.jsonl"));
        await using var network = new Network(latency, messageLog, clock);

        var linKv = new LinKvService(network);
        network.Register(linKv);
        network.Register(new SeqKvService(network, new Random(random.Next())));
        network.Register(new LinTsoService(network));

        var nodeIds = Enumerable.Range(0, options.NodeCount).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        Directory.CreateDirectory(Path.Combine(store, "node-logs"));
        var nodes = nodeIds.Select(id => new NodeHost(id, options.Bin, options.BinArgs, options.NodeEnvironment, network, failures, Path.Combine(store, "node-logs", id + ".log"))).ToList();
        var admin = new Client("c0", network);
        network.Register(admin);
        var clients = Enumerable.Range(1, options.Concurrency).Select(i => new Client("c" + i.ToString(CultureInfo.InvariantCulture), network)).ToList();
        clients.ForEach(network.Register);

        IWorkload workload = options.Workload == "echo"
            ? new EchoWorkload()
            : new LinKvWorkload(new KeyChooser(options.KeyCount, options.KeySkew), options.ReadRatio);
        var timeout = TimeSpan.FromMilliseconds(Math.Max(1000, 10 * options.LatencyMs));
        var nodeCpuBefore = 0.0;
        var nemesis = new NemesisRunner(options.Nemesis, TimeSpan.FromSeconds(options.NemesisIntervalSeconds), network, nodes,
            node => InitAsync(admin, node, nodeIds, failures), new Random(random.Next()), clock);
        var stats = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        DatabaseReadBackResult? readBack = null;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            foreach (var node in nodes)
            {
                network.Register(node);
                node.Start();
            }

            await Task.WhenAll(nodes.Select(node => InitAsync(admin, node, nodeIds, failures)));
            await console.WriteLineAsync($"{nodes.Count} node(s) initialized; running {workload.Name} for {options.TimeLimitSeconds} s at {options.Rate} ops/s with {clients.Count} clients{(options.Nemesis.Count > 0 ? ", nemesis " + string.Join(",", options.Nemesis) : string.Empty)}");

            var contexts = clients.Select((client, index) =>
            {
                var clientRandom = new Random(random.Next());
                var pacer = new Pacer(TimeSpan.FromSeconds(clients.Count / options.Rate), clientRandom);
                return new WorkloadContext(index, clients.Count, client, nodeIds[index % nodeIds.Count], clientRandom, pacer, timeout, history);
            }).ToList();
            using (var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeLimit.CancelAfter(TimeSpan.FromSeconds(options.TimeLimitSeconds));
                var faults = nemesis.RunAsync(timeLimit.Token);
                await Task.WhenAll(contexts.Select(c => workload.RunClientAsync(c, timeLimit.Token)));
                await faults;
            }

            // Heal, let in-flight work settle, then read back everything once more.
            await nemesis.HealAsync();
            network.Heal();
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1000, 20 * options.LatencyMs)), cancellationToken);
            await Task.WhenAll(contexts.Select(c => workload.FinalAsync(c, cancellationToken)));
            if (workload is LinKvWorkload)
            {
                readBack = await DatabaseReadBack.RunAsync(admin, nodes, linKv, history, options.KeyCount,
                    processBase: 2_000_000 * options.Concurrency, timeout, failures, cancellationToken);
            }

            foreach (var node in nodes)
            {
                stats[node.Id] = await admin.RequestAsync(node.Id, new JsonObject { ["type"] = "stats" }, timeout, cancellationToken);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                nodeCpuBefore += NodeCpuSeconds(node);
            }

            await Task.WhenAll(nodes.Select(node => StopAsync(node, failures)));
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        var runnerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var records = history.Snapshot();
        var checkClock = Stopwatch.StartNew();
        var verdict = workload.Check(records, cancellationToken);
        if (readBack is { Checked: true })
        {
            readBack = readBack with { LostKeys = DatabaseReadBack.LostKeys(workload, records, verdict, cancellationToken) };
        }

        checkClock.Stop();
        foreach (var rejected in network.Rejected)
        {
            failures.Add(rejected);
        }

        var warnings = network.Problems.ToList();
        return new RunResult(options, store, records, verdict, failures.All, warnings, nemesis.Events, network.Counts, stats,
            clock.Elapsed, checkClock.Elapsed, runnerCpu, nodeCpuBefore) { NodeTimes = network.Residence.ByType(), DatabaseReadBack = readBack, DatabaseWrites = linKv.Writes };
    }

    private static async Task InitAsync(Client admin, NodeHost node, IReadOnlyList<string> nodeIds, RunFailures failures)
    {
        var body = new JsonObject { ["type"] = "init", ["node_id"] = node.Id, ["node_ids"] = new JsonArray([.. nodeIds.Select(id => JsonValue.Create(id))]) };
        var reply = await admin.RequestAsync(node.Id, body, InitTimeout);
        if (reply?["type"]?.GetValue<string>() != "init_ok")
        {
            failures.Add($"{node.Id} did not answer init with init_ok within {InitTimeout.TotalSeconds:0} s (got {reply?.ToJsonString() ?? "nothing"})");
        }
    }

    private static async Task StopAsync(NodeHost node, RunFailures failures)
    {
        var exitCode = await node.StopAsync(TimeSpan.FromSeconds(15));
        if (exitCode is not (null or 0))
        {
            failures.Add($"{node.Id} exited with code {exitCode} at the end of the test (see node-logs/{node.Id}.log)");
        }
    }

    // Read from /proc while the process lives: user + system time of the node, in seconds.
    private static double NodeCpuSeconds(NodeHost node)
    {
        try
        {
            if (node.ProcessId is { } pid && File.Exists($"/proc/{pid}/stat"))
            {
                var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return ticks / 100.0;
            }
        }
        catch (IOException)
        {
            // The process just exited.
        }

        return 0;
    }

    private string CreateStoreDirectory()
    {
        var root = Path.Combine(options.StoreDirectory, options.Workload);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff", CultureInfo.InvariantCulture);
        var directory = Path.Combine(root, stamp);
        Directory.CreateDirectory(directory);
        var latest = Path.Combine(options.StoreDirectory, "latest");
        try
        {
            if (File.Exists(latest) || Directory.Exists(latest))
            {
                File.Delete(latest);
            }

            File.CreateSymbolicLink(latest, Path.GetRelativePath(options.StoreDirectory, directory));
        }
        catch (IOException)
        {
            // A concurrent run won the race for the link: harmless.
        }

        return directory;
    }
}
