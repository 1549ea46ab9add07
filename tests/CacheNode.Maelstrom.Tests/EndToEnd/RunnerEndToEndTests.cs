using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Report;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Tests.EndToEnd;

/// <summary>The runner against real node processes: it must pass a correct node and catch broken ones.</summary>
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
        var result = await RunAsync(CacheNode(1, strategy, ("CACHENODE_DB", "lin-kv")) with { TimeLimitSeconds = 3, Rate = 80, KeyCount = 3 });

        result.Failures.Should().BeEmpty();
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        result.History.Should().HaveCountGreaterThan(100);
        result.NodeStats["n0"]!["strategy"]!.GetValue<string>().Should().Be(strategy);
    }

    [Fact]
    public async Task Killed_and_paused_node_comes_back_with_init_and_the_history_stays_valid()
    {
        // The database is the lin-kv service, so a killed node loses only its cache.
        var options = CacheNode(1, "write-through", ("CACHENODE_DB", "lin-kv"))
            with { TimeLimitSeconds = 6, Rate = 60, KeyCount = 3, Nemesis = new HashSet<string> { "kill", "pause" }, NemesisIntervalSeconds = 0.7 };

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
        var result = await RunAsync(CacheNode(3, "write-through") with { Workload = "echo", TimeLimitSeconds = 2, Rate = 60 });

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
        // A long TTL, two hot keys and many reads: with invalidation off, a read on one node after a
        // write through another returns the old value, and the checker must say so. With it on (the
        // default) the very same run must be linearizable.
        var options = CacheNode(3, "write-through", ("CACHENODE_TTL_MS", "600000"), ("CACHENODE_UNSAFE_NO_INVALIDATION", unsafeNoInvalidation ? "1" : "0"))
            with { TimeLimitSeconds = 4, Rate = 150, KeyCount = 2, ReadRatio = 0.6 };

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
        var options = CacheNode(nodes, strategy)
            with
            {
                TimeLimitSeconds = 6, Rate = 120, KeyCount = 4, LatencyMs = 5,
                Nemesis = new HashSet<string> { "partition" }, NemesisIntervalSeconds = 1.5,
            };

        var result = await RunAsync(options);

        result.Failures.Should().BeEmpty();
        result.Verdict.Valid.Should().BeTrue(string.Join('\n', result.Verdict.Details));
        result.NemesisEvents.Should().Contain(e => e.Description.StartsWith("partition", StringComparison.Ordinal));
        result.History.Count(r => r.Status == OpStatus.Ok).Should().BeGreaterThan(result.History.Count / 2, "most operations succeed despite the partitions");
    }

    [Theory]
    [InlineData("kill", 42)]
    [InlineData("kill,partition", 11)]
    public async Task Write_behind_cluster_loses_no_acked_write_when_nodes_are_killed(string nemesis, int seed)
    {
        // A long write delay keeps most acked writes dirty, so every kill takes dirty entries with it: they
        // must come back from the backups (or be flushed by them), and the database read back at the end
        // must hold every key's last write.
        var options = CacheNode(3, "write-behind", ("CACHENODE_WRITE_DELAY_MS", "3000"))
            with
            {
                TimeLimitSeconds = 8, Rate = 120, KeyCount = 6, LatencyMs = 5, Seed = seed,
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
    public async Task Node_that_prints_garbage_to_stdout_fails_the_run()
    {
        var result = await RunAsync(ScriptNode("garbage-node.sh"));

        result.Valid.Should().BeFalse();
        result.Failures.Should().Contain(f => f.Contains("n0 wrote a line that is not a Maelstrom message to stdout: DEBUG: initialized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Node_reply_with_a_wrongly_typed_field_fails_the_run_and_does_not_stop_delivery()
    {
        var result = await RunAsync(ScriptNode("bad-reply-node.sh"));

        result.Valid.Should().BeFalse();
        result.Failures.Should().Contain(f => f.StartsWith("n0 sent c", StringComparison.Ordinal) && f.Contains("could not process", StringComparison.Ordinal));
        result.NodeStats.Should().ContainKey("n0", "the run went on to its end and the report was written");
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

    // One node from a broken test script under tests/.../Nodes, running a short echo workload.
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
            Bin = "dotnet",
            BinArgs = [Path.Combine(AppContext.BaseDirectory, "CacheNode.dll")],
            NodeCount = nodes,
            Concurrency = 2 * nodes,
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
