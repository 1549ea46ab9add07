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
/// One test, start to end, as <c>maelstrom test</c> runs it: services and nodes up, <c>init</c> to every
/// node (each from a client of its own), the workload at the given rate with the nemesis alongside until
/// the time limit, then teardown: a node that already exited crashed the test, the others are killed.
/// The runner-only final phase (heal, settle, final reads) and CacheNode's own checks (flush, database
/// read-back, stats, clean exit) run only when asked for.
/// </summary>
internal sealed class TestRun(RunnerOptions options, TextWriter console)
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);
    private int _nextClient;

    public async Task<RunResult> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        var store = CreateStoreDirectory();
        // store/latest moves only to a run whose nodes all started: one that could not start leaves
        // the last real run where a person looks for it.
        var initialized = false;
        var clock = Stopwatch.StartNew();
        var failures = new RunFailures();
        var history = new HistoryRecorder(clock);
        var latency = new LatencyModel(options.LatencyMs, options.LatencyDistribution, new Random(random.Next()));
        await using var messageLog = new MessageLog(Path.Combine(store, "messages.jsonl"));
        await using var network = new Network(latency, messageLog, clock, options.VerbatimMessages);

        var linKv = new LinKvService(network);
        ServiceEndpoint[] services = [linKv, new SeqKvService(network, new Random(random.Next())), new LwwKvService(network, new Random(random.Next())), new LinTsoService(network)];
        foreach (var service in services)
        {
            network.Register(service);
        }

        var nodeIds = options.NodeIds;
        Directory.CreateDirectory(Path.Combine(store, "node-logs"));
        var nodes = nodeIds.Select(id => new NodeHost(id, options.Bin, options.BinArgs, options.NodeEnvironment, network, failures,
            Path.Combine(store, "node-logs", id + ".log"), options.LogStderr ? console : null)).ToList();

        // Client ids as Maelstrom hands them out: one per node for init (c0..), one per node for Jepsen's
        // client setup (never used to send), then the worker threads' clients.
        _nextClient = 2 * nodeIds.Count;
        var workloadTimeout = options.Workload == "echo"
            ? TimeSpan.FromSeconds(5)
            : TimeSpan.FromMilliseconds(Math.Max(1000, 10 * options.LatencyMs));
        var threads = Enumerable.Range(0, options.Concurrency).Select(i =>
        {
            var client = NewClient(network);
            return new ClientThread(i, options.Concurrency, client, nodeIds[i % nodeIds.Count], history, workloadTimeout);
        }).ToList();

        var stats = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        DatabaseReadBackResult? readBack = null;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var nodeCpu = 0.0;
        IWorkload? workload = null;
        NemesisRunner? nemesis = null;
        PartitionSampler? sampler = null;
        IReadOnlyList<StatsSample> samples = [];
        try
        {
            workload = CreateWorkload(threads, new Random(random.Next()));
            nemesis = new NemesisRunner(options.Nemesis, TimeSpan.FromSeconds(options.NemesisIntervalSeconds), network, nodes,
                node => InitAsync(network, node, nodeIds, failures), new Random(random.Next()), clock);
            foreach (var node in nodes)
            {
                network.Register(node);
                node.Start();
            }

            await Task.WhenAll(nodes.Select((node, i) => InitAsync(network, node, nodeIds, failures, "c" + i.ToString(CultureInfo.InvariantCulture))));
            if (failures.Crashed)
            {
                throw new RunCrashedException();
            }

            await console.WriteLineAsync(StartLine(nodes.Count, workload.Name, threads.Count));
            initialized = true;
            // Runner-only: what each side of a partition did, from the nodes' own counters.
            if (options.NodeChecks && options.Nemesis.Contains("partition"))
            {
                sampler = new PartitionSampler(NewClient(network), nodeIds, clock, workloadTimeout);
                sampler.Sample(Grudge.None);
                nemesis.PartitionChanged = sampler.Sample;
            }

            using (var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeLimit.CancelAfter(TimeSpan.FromSeconds(options.TimeLimitSeconds));
                var faults = nemesis.RunAsync(timeLimit.Token);
                await new Stagger(options.Rate, new Random(random.Next())).RunAsync(threads, workload.InvokeAsync, timeLimit.Token);
                await faults;
            }

            if (sampler is not null)
            {
                // The end of the last window; what the final phase does is not load.
                nemesis.PartitionChanged = null;
                sampler.Sample(Grudge.None);
                samples = await sampler.AllAsync();
            }

            if (options.HasFinalPhase)
            {
                // Runner-only: heal, let in-flight work settle, then read back everything once more.
                await nemesis.HealAsync();
                network.Heal();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1000, 20 * options.LatencyMs)), cancellationToken);
                await Task.WhenAll(threads.Select(t => workload.FinalAsync(t, cancellationToken)));
            }

            if (options.NodeChecks)
            {
                var admin = NewClient(network);
                if (workload is LinKvWorkload)
                {
                    readBack = await DatabaseReadBack.RunAsync(admin, nodes, linKv, history, workload.KeysUsed,
                        processBase: ReservedProcesses.DatabaseReadBack, workloadTimeout, failures, cancellationToken);
                }

                foreach (var node in nodes)
                {
                    stats[node.Id] = await admin.RequestAsync(node.Id, new JsonObject { ["type"] = "stats" }, workloadTimeout, cancellationToken);
                }
            }
        }
        catch (RunCrashedException)
        {
            // Recorded in failures; the teardown below still runs.
        }
        catch (NodeStartException ex)
        {
            failures.Crash(ex.Message);
        }
        catch (ArgumentException ex) when (workload is null)
        {
            failures.Crash(ex.Message);
        }
        finally
        {
            nodeCpu = nodes.Sum(NodeCpuSeconds);
            await Task.WhenAll(nodes.Select(node => TearDownAsync(node, failures)));
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        var runnerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var records = history.Snapshot();
        var checkClock = Stopwatch.StartNew();
        var verdict = workload?.Check(records, cancellationToken) ?? new WorkloadVerdict(null, "not run", []);
        if (workload is not null && readBack is { Checked: true })
        {
            readBack = readBack with { LostKeys = DatabaseReadBack.LostKeys(workload, records, verdict, cancellationToken) };
        }

        checkClock.Stop();
        foreach (var warning in network.Rejected.Concat(network.Problems).Concat(services.SelectMany(s => s.Warnings)))
        {
            failures.Warn(warning);
        }

        if (initialized)
        {
            LinkLatest(store);
        }

        return new RunResult(options, store, records, verdict, failures.All, failures.Warnings, nemesis?.Events ?? [], network.Counts, stats,
            clock.Elapsed, checkClock.Elapsed, runnerCpu, nodeCpu)
        {
            NodeTimes = network.Residence.ByType(),
            DatabaseReadBack = readBack,
            DatabaseWrites = linKv.Writes,
            Crashes = failures.Crashes,
            PartitionSamples = samples,
        };
    }

    private string NextClientId() => "c" + (Interlocked.Increment(ref _nextClient) - 1).ToString(CultureInfo.InvariantCulture);

    private Client NewClient(Network network)
    {
        var client = new Client(NextClientId(), network);
        network.Register(client);
        return client;
    }

    private IWorkload CreateWorkload(IReadOnlyList<ClientThread> threads, Random random) => options switch
    {
        { Workload: "echo" } => new EchoWorkload(random, options.Availability),
        { UniformKeys: { } keys } => LinKvWorkload.Uniform(new KeyChooser(keys, options.KeySkew), options.ReadRatio, random, options.Availability),
        _ => LinKvWorkload.Jepsen(options.NodeCount, threads, random, options.Availability),
    };

    private string StartLine(int nodeCount, string workload, int threads)
    {
        var line = $"{nodeCount} node(s) initialized; running {workload} for {options.TimeLimitSeconds} s at {options.Rate} ops/s with {threads} clients"
            + (options.Nemesis.Count > 0 ? ", nemesis " + string.Join(",", options.Nemesis) : string.Empty);
        if (options.Extensions.Count > 0)
        {
            line += $"\nrunner-only options: {string.Join(' ', options.Extensions)}";
        }

        if (options.IgnoredOptions.Count > 0)
        {
            line += $"\nMaelstrom options accepted without effect here: {string.Join(' ', options.IgnoredOptions)}";
        }

        return line;
    }

    // Maelstrom's db setup: a fresh client per init, 10 s to answer, anything but init_ok crashes the test.
    // A node that exits before it answers, or prints a line after which nothing it writes is routed
    // (so its init_ok could never arrive), crashes it at once instead of after the timeout.
    private async Task InitAsync(Network network, NodeHost node, IReadOnlyList<string> nodeIds, RunFailures failures, string? clientId = null)
    {
        var client = new Client(clientId ?? NextClientId(), network);
        network.Register(client);
        try
        {
            var body = new JsonObject { ["type"] = "init", ["node_id"] = node.Id, ["node_ids"] = new JsonArray([.. nodeIds.Select(id => JsonValue.Create(id))]) };
            var reply = client.RequestAsync(node.Id, body, InitTimeout);
            var first = await Task.WhenAny(reply, node.Exited, node.OutputStopped);
            if (first == node.OutputStopped && node.HasRoutedTo(client.Id))
            {
                // It answered this client before the bad line: that answer is on its way.
                first = await Task.WhenAny(reply, node.Exited);
            }
            else if (first == node.OutputStopped)
            {
                await Task.Delay(200);
                failures.Crash($"{node.Id} cannot answer init: {await node.OutputStopped}. As in Maelstrom, nothing more it writes is delivered. " + node.StderrText());
                return;
            }

            if (first != reply)
            {
                // Let the stderr pump catch up: the node's last words are the point of the message.
                await Task.Delay(200);
                node.ExitReported();
                failures.Crash($"{node.Id} exited before it answered init. " + node.CrashText(node.ExitCode ?? -1));
                return;
            }

            var answer = await reply;
            if (answer is null)
            {
                failures.Crash($"Expected node {node.Id} to respond to an init message, but node did not respond (within {InitTimeout.TotalSeconds:0} s).");
            }
            else if (answer["type"]?.GetValue<string>() != "init_ok")
            {
                failures.Crash($"Expected an init_ok message, but node {node.Id} responded with {answer.ToJsonString()}");
            }
        }
        finally
        {
            network.Unregister(client.Id);
        }
    }

    private async Task TearDownAsync(NodeHost node, RunFailures failures)
    {
        if (options.NodeChecks)
        {
            var exitCode = await node.StopAsync(TimeSpan.FromSeconds(15));
            if (exitCode is not (null or 0))
            {
                failures.Add($"{node.Id} exited with code {exitCode} at the end of the test (see node-logs/{node.Id}.log)");
            }

            return;
        }

        if (await node.TearDownAsync() is { } crash)
        {
            failures.Crash(crash);
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
        return directory;
    }

    private void LinkLatest(string directory)
    {
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
    }

    private sealed class RunCrashedException : Exception;
}
