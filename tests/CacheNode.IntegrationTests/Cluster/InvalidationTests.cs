using System.Diagnostics;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Strategies;

namespace CacheNode.IntegrationTests.Cluster;

/// <summary>
/// Three real nodes over one lin-kv: copies on other nodes are revoked before a write reaches the
/// database, a fill that loses the race to a revocation never installs, and an unreachable node stops
/// serving once its lease runs out, which is what lets a write during a partition finish.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InvalidationTests
{
    private static readonly NodeOptions Options = new()
    {
        Database = DatabaseKind.LinKv,
        DbTimeoutMs = 1000,
        LeaseMs = 200,
        PeerTimeoutMs = 100,
    };

    [Fact]
    public async Task Write_through_copy_on_another_node_is_replaced_by_the_new_value_without_a_database_read()
    {
        await using var cluster = await StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await ReadAsync(cluster, "n2", 1);
        (await ReadAsync(cluster, "n2", 1)).Should().Be(10);
        var readsBefore = await cluster.StatAsync("n2", "db_reads");

        await WriteAsync(cluster, "n1", 1, 11);
        await Task.Delay(100); // the release (one-way, after the ack) reaches n2

        (await ReadAsync(cluster, "n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "db_reads")).Should().Be(readsBefore, "the release carried the new value");
        (await cluster.StatAsync("n2", "invalidations_received")).Should().Be(1);
    }

    [Fact]
    public async Task Cache_aside_copy_on_another_node_is_dropped_and_refilled_from_the_database()
    {
        await using var cluster = await StartServingAsync(Options with { Strategy = StrategyKind.CacheAside });
        cluster.Service.Seed("1", "10");
        await ReadAsync(cluster, "n2", 1);
        var readsBefore = await cluster.StatAsync("n2", "db_reads");

        await WriteAsync(cluster, "n1", 1, 11);

        (await ReadAsync(cluster, "n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "db_reads")).Should().Be(readsBefore + 1);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Fill_overtaken_by_a_revocation_never_installs_its_old_value(string strategy)
    {
        await using var cluster = await StartServingAsync(Options with { Strategy = Kind(strategy) });
        cluster.Service.Seed("1", "10");
        // n2's database read happens at once, but its reply is held back until the write is done.
        var holdFill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fillAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.BeforeServiceReply = (node, type) =>
        {
            if (node == "n2" && type == "read" && fillAnswered.TrySetResult())
            {
                return holdFill.Task;
            }

            return Task.CompletedTask;
        };

        var staleRead = ReadAsync(cluster, "n2", 1);
        await fillAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WriteAsync(cluster, "n1", 1, 11);
        holdFill.SetResult();

        (await staleRead).Should().Be(10, "that read began before the write");
        (await ReadAsync(cluster, "n2", 1)).Should().Be(11, "the old value must not have been cached");
        (await ReadAsync(cluster, "n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "rejected_stale_fills")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Isolated_node_stops_serving_its_cache_once_its_lease_runs_out()
    {
        await using var cluster = await StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await ReadAsync(cluster, "n3", 1);

        cluster.Isolate("n3");
        // Changed behind every node's back: only a node that reads the database can see it.
        cluster.Service.Seed("1", "20");
        await Task.Delay(Options.LeaseMs * 2);

        (await ReadAsync(cluster, "n3", 1)).Should().Be(20, "a node without leases reads the database, not its cache");
        (await cluster.StatAsync("n3", "lease_lapses")).Should().BeGreaterThan(0);
        (await cluster.StatAsync("n3", "bypass_reads")).Should().BeGreaterThan(0);
        (await cluster.RequestAsync("n3", """{"type":"stats"}"""))["cache_serving"]!.GetValue<bool>().Should().BeFalse();

        cluster.Heal();
        await WaitUntilServingAsync(cluster, "n3");
        await ReadAsync(cluster, "n3", 1);
        var hits = await cluster.StatAsync("n3", "hits");
        (await ReadAsync(cluster, "n3", 1)).Should().Be(20);
        (await cluster.StatAsync("n3", "hits")).Should().Be(hits + 1, "once healed, the node caches again");
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Write_during_a_partition_waits_out_the_unreachable_nodes_lease_and_completes(string strategy)
    {
        await using var cluster = await StartServingAsync(Options with { Strategy = Kind(strategy) });
        cluster.Service.Seed("1", "10");
        (await ReadAsync(cluster, "n3", 1)).Should().Be(10);
        cluster.Isolate("n3");

        var clock = Stopwatch.StartNew();
        await WriteAsync(cluster, "n1", 1, 11);
        clock.Stop();

        // The moment the write is acked, the isolated node can no longer be serving its old copy.
        (await ReadAsync(cluster, "n3", 1)).Should().Be(11);
        (await cluster.StatAsync("n1", "lease_waits")).Should().Be(1);
        // Generous: the bound is one lease plus the ack timeout; the slack is for a loaded CI machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(Options.LeaseMs + Options.PeerTimeoutMs + 2000));
    }

    [Fact]
    public async Task Client_invalidate_drops_the_copy_on_every_node()
    {
        await using var cluster = await StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await ReadAsync(cluster, "n2", 1);
        await ReadAsync(cluster, "n3", 1);
        cluster.Service.Seed("1", "20");

        (await cluster.RequestAsync("n1", """{"type":"invalidate","key":1}"""))["type"]!.GetValue<string>().Should().Be("invalidate_ok");

        (await ReadAsync(cluster, "n2", 1)).Should().Be(20);
        (await ReadAsync(cluster, "n3", 1)).Should().Be(20);
    }

    [Fact]
    public async Task Without_faults_a_write_costs_one_revoke_one_ack_and_one_release_per_peer()
    {
        await using var cluster = await StartServingAsync(Options);
        var before = (cluster.PeerMessages("revoke"), cluster.PeerMessages("revoke_ok"), cluster.PeerMessages("release"));

        for (var i = 0; i < 20; i++)
        {
            await WriteAsync(cluster, "n1", i, i);
            await Task.Delay(5); // sequential writes: nothing to batch
        }

        await Task.Delay(100);
        (cluster.PeerMessages("revoke") - before.Item1).Should().Be(40);
        (cluster.PeerMessages("revoke_ok") - before.Item2).Should().Be(40);
        (cluster.PeerMessages("release") - before.Item3).Should().Be(40);
    }

    [Fact]
    public async Task Writes_that_arrive_together_share_revoke_messages()
    {
        await using var cluster = await StartServingAsync(Options);
        var before = cluster.PeerMessages("revoke");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => WriteAsync(cluster, "n1", i, i)));

        (cluster.PeerMessages("revoke") - before).Should().BeLessThan(400, "revocations queued together leave together");
    }

    internal static StrategyKind Kind(string name) => name switch
    {
        "cache-aside" => StrategyKind.CacheAside,
        "write-behind" => StrategyKind.WriteBehind,
        "proxy" => StrategyKind.Proxy,
        _ => StrategyKind.WriteThrough,
    };

    internal static async Task<MultiNodeCluster> StartServingAsync(NodeOptions options, int count = 3)
    {
        var cluster = await MultiNodeCluster.StartAsync(options, count);
        foreach (var id in cluster.Ids)
        {
            await WaitUntilServingAsync(cluster, id);
        }

        return cluster;
    }

    internal static async Task WaitUntilServingAsync(MultiNodeCluster cluster, string node)
    {
        var deadline = Stopwatch.StartNew();
        while (!(await cluster.RequestAsync(node, """{"type":"stats"}"""))["cache_serving"]!.GetValue<bool>())
        {
            deadline.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), $"{node} should get leases from its peers");
            await Task.Delay(10);
        }
    }

    internal static async Task<int> ReadAsync(MultiNodeCluster cluster, string node, int key)
    {
        var reply = await cluster.RequestAsync(node, $$"""{"type":"read","key":{{key}}}""");
        reply["type"]!.GetValue<string>().Should().Be("read_ok", reply.ToJsonString());
        return reply["value"]!.GetValue<int>();
    }

    internal static async Task WriteAsync(MultiNodeCluster cluster, string node, int key, int value)
    {
        var reply = await cluster.RequestAsync(node, $$"""{"type":"write","key":{{key}},"value":{{value}}}""");
        reply["type"]!.GetValue<string>().Should().Be("write_ok", reply.ToJsonString());
    }
}
