using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Report;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Tests.EndToEnd;

/// <summary>The runner against real node processes: it must pass a correct node and catch broken ones.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RunnerEndToEndTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("maelstrom-test-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    [InlineData("write-behind")]
    public async Task Single_cachenode_over_lin_kv_is_linearizable(string strategy)
    {
        var result = await RunAsync(CacheNode(1, strategy, ("CACHENODE_DB", "lin-kv")) with { TimeLimitSeconds = 3, Rate = 80, NodeChecks = true });

        result.Failures.Should().BeEmpty();
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        // The run must have done real work, but how much is not the subject: the first run in this
        // process pays the runner's and the node's cold start (JIT) out of its 3 s, and on a loaded
        // machine that cost a second of client timeouts (about 70 of 240 operations, 1 run in 3).
        result.History.Count(r => r.Status == OpStatus.Ok).Should().BeGreaterThan(30);
        result.NodeStats["n0"]!["strategy"]!.GetValue<string>().Should().Be(strategy);
    }

    [Fact]
    public async Task Killed_and_paused_node_comes_back_with_init_and_the_history_stays_valid()
    {
        // The database is the lin-kv service, so a killed node loses only its cache.
        var options = CacheNode(1, "write-through", ("CACHENODE_DB", "lin-kv"))
            with { TimeLimitSeconds = 6, Rate = 60, NodeChecks = true, Nemesis = new HashSet<string> { "kill", "pause" }, NemesisIntervalSeconds = 0.7 };

        var result = await RunAsync(options);

        result.Failures.Should().BeEmpty("a kill by the nemesis is not an unexpected exit");
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        var events = result.NemesisEvents.Select(e => e.Description).ToList();
        events.Should().Contain(e => e.StartsWith("killed n0", StringComparison.Ordinal) || e.StartsWith("paused n0", StringComparison.Ordinal));
        if (events.Contains("killed n0"))
        {
            events.Should().Contain("restarted n0", "a killed node is started again and re-initialized");
        }

        result.History.Should().Contain(r => r.Status == OpStatus.Ok && r.InvokeNanos > (long)(options.TimeLimitSeconds * 0.8 * 1e9), "the node serves again after the faults");
    }

    [Fact]
    public async Task Three_nodes_each_get_init_and_serve_echo()
    {
        var result = await RunAsync(CacheNode(3, "write-through") with { Workload = "echo", TimeLimitSeconds = 2, Rate = 60, NodeChecks = true });

        result.Valid.Should().BeTrue(string.Join('\n', result.Failures.Concat(result.Verdict.Details)));
        result.NodeStats.Keys.Should().BeEquivalentTo(["n0", "n1", "n2"]);
        result.NodeStats.Values.Should().OnlyContain(stats => stats != null, "each node was initialized and answered stats");
        result.History.Select(r => r.Node).Distinct().Should().BeEquivalentTo(["n0", "n1", "n2"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Same_cluster_is_valid_with_invalidation_and_caught_without_it(bool unsafeNoInvalidation)
    {
        // A long TTL and Maelstrom's generator, which puts every operation on one key: with invalidation
        // off, a read on one node after a write through another returns the old value, and the checker
        // must say so. With it on (the default) the very same run must be linearizable.
        var options = CacheNode(3, "write-through", ("CACHENODE_TTL_MS", "600000"), ("CACHENODE_UNSAFE_NO_INVALIDATION", unsafeNoInvalidation ? "1" : "0"))
            with { TimeLimitSeconds = 4, Rate = 150, NodeChecks = true };

        var result = await RunAsync(options);

        result.Failures.Should().BeEmpty();
        if (unsafeNoInvalidation)
        {
            result.Verdict.Valid.Should().BeFalse();
            result.Verdict.Details.Should().NotBeEmpty("an invalid verdict explains itself");
        }
        else
        {
            result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
            result.NodeStats.Values.Sum(stats => stats!["hits"]!.GetValue<long>()).Should().BeGreaterThan(0, "the caches were really used");
        }
    }

    [Theory]
    [InlineData(3, "write-through")]
    [InlineData(3, "cache-aside")]
    [InlineData(3, "write-behind")]
    [InlineData(5, "write-through")]
    [InlineData(5, "cache-aside")]
    [InlineData(5, "write-behind")]
    public async Task Partitioned_cluster_over_lin_kv_is_linearizable(int nodes, string strategy)
    {
        // Enough operations that Maelstrom's stats checker (every operation type must succeed at least
        // once) is not left to chance: most cas fail on their `from` by design and, under partitions,
        // many are indeterminate. At 120 ops/s for 6 s, 5 nodes under write-behind on a loaded machine
        // once had none of 29 cas succeed (1 of 14 runner-suite rounds).
        var options = CacheNode(nodes, strategy)
            with
            {
                TimeLimitSeconds = 8, Rate = 200, LatencyMs = 5, NodeChecks = true,
                Nemesis = new HashSet<string> { "partition" }, NemesisIntervalSeconds = 1.5,
            };

        var result = await RunAsync(options);

        result.Failures.Should().BeEmpty();
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        result.NemesisEvents.Should().Contain(e => e.Description.StartsWith("partition", StringComparison.Ordinal));
        result.History.Should().Contain(r => r.Status == OpStatus.Ok && r.Kind != OpKind.Read, "writes get through despite the partitions (the stats check in the verdict asks the same of every kind)");
    }

    [Theory]
    [InlineData("kill", 42)]
    public async Task Write_behind_cluster_loses_no_acked_write_when_nodes_are_killed(string nemesis, int seed)
    {
        // A long write delay keeps most acked writes dirty, so every kill takes dirty entries with it: they
        // must come back from the backups (or be flushed by them), and the database read back at the end
        // must hold every key's last write.
        var options = CacheNode(3, "write-behind", ("CACHENODE_WRITE_DELAY_MS", "3000"))
            with
            {
                TimeLimitSeconds = 8, Rate = 120, UniformKeys = 6, LatencyMs = 5, Seed = seed, NodeChecks = true,
                Nemesis = new HashSet<string>(nemesis.Split(',')), NemesisIntervalSeconds = 1.5,
            };

        var result = await RunAsync(options);

        result.Failures.Should().BeEmpty();
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        result.NemesisEvents.Should().Contain(e => e.Description.StartsWith("killed", StringComparison.Ordinal));
        result.DatabaseReadBack.Should().NotBeNull();
        result.DatabaseReadBack!.Checked.Should().BeTrue("the nodes write to lin-kv");
        result.DatabaseReadBack.LostKeys.Should().BeEmpty();
        RunSummary.Of(result).FlushLagP99Ms.Should().BeGreaterThan(1000, "entries sat dirty for seconds, so the kills caught some");
    }

    [Fact]
    public async Task Node_that_prints_garbage_is_not_heard_from_again_as_in_maelstrom()
    {
        var result = await RunAsync(ScriptNode("garbage-node.sh"));

        result.Valid.Should().BeFalse("its echo replies after the garbage line are never delivered");
        result.Crashes.Should().BeEmpty();
        result.Warnings.Should().Contain(w => w.Contains("n0 printed a line to STDOUT which was not a well-formed Maelstrom message (not a JSON object): DEBUG: initialized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reply_with_a_string_in_reply_to_matches_nothing_and_times_out()
    {
        var result = await RunAsync(ScriptNode("bad-reply-node.sh"));

        result.Valid.Should().BeFalse();
        result.Crashes.Should().BeEmpty();
        result.History.Should().OnlyContain(r => r.Status == OpStatus.Info && r.Error == "net-timeout");
    }

    [Fact]
    public async Task Node_that_exits_before_init_crashes_the_run_at_once_with_its_stderr()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await RunAsync(ScriptNode("exit-early-node.sh") with { TimeLimitSeconds = 30 });

        result.ExitCode.Should().Be(255);
        result.Crashes.Should().ContainSingle().Which.Should().Contain("exit status 3").And.Contain("refusing to start");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(25), "the run does not wait out its time limit or init's 10 s");
        Path.Exists(Path.Combine(_store, "latest")).Should().BeFalse("store/latest moves only to a run whose nodes started");
    }

    [Fact]
    public async Task Node_that_prints_garbage_before_init_crashes_the_run_at_once_with_its_stderr()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await RunAsync(ScriptNode("garbage-before-init-node.sh") with { TimeLimitSeconds = 30 });

        result.ExitCode.Should().Be(255);
        result.Crashes.Should().ContainSingle().Which.Should().Contain("Starting garbage-before-init-node v1.0")
            .And.Contain("about to print a banner on stdout");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(25), "the run does not wait out init's 10 s, let alone the time limit");
        Path.Exists(Path.Combine(_store, "latest")).Should().BeFalse();
    }

    [Fact]
    public async Task Node_that_exits_during_the_test_crashes_it_at_teardown_as_in_maelstrom()
    {
        var result = await RunAsync(ScriptNode("exit-later-node.sh") with { TimeLimitSeconds = 2 });

        result.ExitCode.Should().Be(255);
        result.Crashes.Should().ContainSingle().Which.Should().Contain("Node n0 crashed with exit status 1").And.Contain("crashing on purpose");
    }

    [Fact]
    public async Task Kill_is_a_real_crash_that_never_lets_the_node_see_end_of_input()
    {
        // The nemesis kills and restarts the node (paused or not) several times, and the teardown kills
        // it once more; a node whose stdin were closed before the SIGKILL would write its end-of-input
        // marker.
        var markers = Directory.CreateTempSubdirectory("eof-markers-").FullName;
        try
        {
            var result = await RunAsync(ScriptNode("eof-marker-node.sh") with
            {
                TimeLimitSeconds = 4, NemesisIntervalSeconds = 0.4, Nemesis = new HashSet<string> { "kill" }, Seed = 5,
                NodeEnvironment = new Dictionary<string, string> { ["EOF_MARKER_DIR"] = markers },
            });

            result.NemesisEvents.Should().Contain(e => e.Description.StartsWith("killed", StringComparison.Ordinal), "the first fault starts at once");
            Directory.GetFiles(markers).Should().BeEmpty("a SIGKILL gives the node no chance to see end of input");
        }
        finally
        {
            Directory.Delete(markers, recursive: true);
        }
    }

    [Theory]
    [InlineData("lin-kv-proxy-node.sh", "partition", true)]
    [InlineData("lin-kv-proxy-node.sh", "", true)]
    [InlineData("flush-error-node.sh", "partition", true)]
    [InlineData("private-dict-node.sh", "", false)]
    public async Task Third_party_style_nodes_get_maelstroms_verdict(string script, string nemesis, bool valid)
    {
        var options = ScriptNode(script) with
        {
            Workload = "lin-kv", NodeCount = 3, ConcurrencySpec = "2n", TimeLimitSeconds = 5, Rate = 60, LatencyMs = 5,
            Nemesis = nemesis.Length == 0 ? new HashSet<string>() : new HashSet<string> { nemesis }, NemesisIntervalSeconds = 1,
        };

        var result = await RunAsync(options);

        result.Crashes.Should().BeEmpty();
        result.Valid.Should().Be(valid, string.Join('\n', result.Verdict.Details.Concat(result.Warnings)));
        if (nemesis.Length > 0)
        {
            result.NemesisEvents.Should().Contain(e => e.Description.StartsWith("partition", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Report_files_are_written()
    {
        var result = await RunAsync(CacheNode(1, "write-through") with { TimeLimitSeconds = 1, Rate = 30 });

        foreach (var file in new[] { "results.json", "history.jsonl", "messages.jsonl", "latency.svg", "rate.svg", "index.html", "node-logs/n0.log" })
        {
            File.Exists(Path.Combine(result.StoreDirectory, file)).Should().BeTrue(file);
        }

        Directory.Exists(Path.Combine(_store, "latest")).Should().BeTrue("store/latest points at the newest run");
    }

    // Maelstrom takes --bin as a path: the dotnet host the tests run under.
    private static string DotnetPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(dir => Path.Combine(dir, "dotnet")).First(File.Exists);

    // One node from a test script under tests/.../Nodes, running a short echo workload.
    private RunnerOptions ScriptNode(string script) => new()
    {
        Bin = Path.Combine(AppContext.BaseDirectory, "Nodes", script),
        Workload = "echo",
        NodeCount = 1,
        TimeLimitSeconds = 1,
        Rate = 20,
        StoreDirectory = _store,
    };

    private RunnerOptions CacheNode(int nodes, string strategy, params (string Name, string Value)[] environment)
    {
        var env = new Dictionary<string, string> { ["CACHENODE_STRATEGY"] = strategy, ["CACHENODE_LOG"] = "warn" };
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }

        return new RunnerOptions
        {
            Bin = DotnetPath,
            BinArgs = [Path.Combine(AppContext.BaseDirectory, "CacheNode.dll")],
            NodeCount = nodes,
            ConcurrencySpec = "2n",
            LatencyMs = 1,
            Seed = 42,
            StoreDirectory = _store,
            NodeEnvironment = env,
        };
    }

    private static async Task<RunResult> RunAsync(RunnerOptions options)
    {
        var result = await new TestRun(options, TextWriter.Null).ExecuteAsync();
        await ReportWriter.WriteAsync(result, RunSummary.Of(result));
        return result;
    }
}
