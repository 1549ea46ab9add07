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
[Trait("Category", "EndToEnd")]
public sealed class InvalidationTests
{
    private static readonly NodeOptions Options = new()
    {
        Database = DatabaseKind.LinKv,
        DbTimeoutMs = 1000,
        LeaseMs = 200,
        PeerTimeoutMs = 100,
        // Not the subject of any test here: a write that waits out a lease on a loaded machine must not
        // be cut off by the node's own request deadline.
        RequestTimeoutMs = 10_000,
    };

    [Fact]
    public async Task Write_through_copy_on_another_node_is_replaced_by_the_new_value_without_a_database_read()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync("n2", 1);
        (await cluster.ReadAsync("n2", 1)).Should().Be(10);
        var readsBefore = await cluster.StatAsync("n2", "db_reads");

        var releasesBefore = cluster.PeerMessages("release", "n1", "n2");
        await cluster.WriteAsync("n1", 1, 11);
        // The release is one-way, after the ack: once it is on n2's input, n2 handles it before the read.
        await Eventually.TrueAsync(() => cluster.PeerMessages("release", "n1", "n2") > releasesBefore, "n1 releases n2 after the write");

        (await cluster.ReadAsync("n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "db_reads")).Should().Be(readsBefore, "the release carried the new value");
        (await cluster.StatAsync("n2", "invalidations_received")).Should().Be(1);
    }

    [Fact]
    public async Task Cache_aside_copy_on_another_node_is_dropped_and_refilled_from_the_database()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options with { Strategy = StrategyKind.CacheAside });
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync("n2", 1);
        var readsBefore = await cluster.StatAsync("n2", "db_reads");

        await cluster.WriteAsync("n1", 1, 11);

        (await cluster.ReadAsync("n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "db_reads")).Should().Be(readsBefore + 1);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Fill_overtaken_by_a_revocation_never_installs_its_old_value(string strategy)
    {
        // The held database reply must outlast the write but not n2's database timeout (a loaded machine
        // took over a second for the write), or n2 reads again and the overtaken fill never arrives.
        await using var cluster = await ClusterClient.StartServingAsync(Options with { Strategy = ClusterClient.Kind(strategy), DbTimeoutMs = 10_000 });
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

        var staleRead = cluster.ReadAsync("n2", 1);
        await fillAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cluster.WriteAsync("n1", 1, 11);
        holdFill.SetResult();

        (await staleRead).Should().Be(10, "that read began before the write");
        (await cluster.ReadAsync("n2", 1)).Should().Be(11, "the old value must not have been cached");
        (await cluster.ReadAsync("n2", 1)).Should().Be(11);
        (await cluster.StatAsync("n2", "rejected_stale_fills")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Isolated_node_stops_serving_its_cache_once_its_lease_runs_out()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync("n3", 1);

        cluster.Isolate("n3");
        // Changed behind every node's back: only a node that reads the database can see it.
        cluster.Service.Seed("1", "20");
        await Eventually.TrueAsync(async () => !(await cluster.RequestAsync("n3", """{"type":"stats"}"""))["cache_serving"]!.GetValue<bool>(), "n3's leases run out");

        (await cluster.ReadAsync("n3", 1)).Should().Be(20, "a node without leases reads the database, not its cache");
        (await cluster.StatAsync("n3", "lease_lapses")).Should().BeGreaterThan(0);
        (await cluster.StatAsync("n3", "bypass_reads")).Should().BeGreaterThan(0);
        (await cluster.RequestAsync("n3", """{"type":"stats"}"""))["cache_serving"]!.GetValue<bool>().Should().BeFalse();

        cluster.Heal();
        await cluster.WaitUntilServingAsync("n3");
        await cluster.ReadAsync("n3", 1);
        var hits = await cluster.StatAsync("n3", "hits");
        (await cluster.ReadAsync("n3", 1)).Should().Be(20);
        (await cluster.StatAsync("n3", "hits")).Should().Be(hits + 1, "once healed, the node caches again");
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Write_during_a_partition_waits_out_the_unreachable_nodes_lease_and_completes(string strategy)
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options with { Strategy = ClusterClient.Kind(strategy) });
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync("n3", 1)).Should().Be(10);
        cluster.Isolate("n3");

        await cluster.WriteAsync("n1", 1, 11);

        // The moment the write is acked, the isolated node can no longer be serving its old copy.
        (await cluster.ReadAsync("n3", 1)).Should().Be(11);
        (await cluster.StatAsync("n1", "lease_waits")).Should().BeGreaterThanOrEqualTo(1, "the write waited out the lease it could not revoke (on a loaded machine an answering peer may be waited out too)");
    }

    [Fact]
    public async Task Client_invalidate_drops_the_copy_on_every_node()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync("n2", 1);
        await cluster.ReadAsync("n3", 1);
        cluster.Service.Seed("1", "20");

        (await cluster.RequestAsync("n1", """{"type":"invalidate","key":1}""")).ShouldHave("type", "invalidate_ok");

        (await cluster.ReadAsync("n2", 1)).Should().Be(20);
        (await cluster.ReadAsync("n3", 1)).Should().Be(20);
    }

    [Fact]
    public async Task Without_faults_a_write_costs_one_revoke_one_ack_and_one_release_per_peer()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        var before = (cluster.PeerMessages("revoke"), cluster.PeerMessages("revoke_ok"), cluster.PeerMessages("release"), cluster.ReleasedWrites);

        for (var i = 0; i < 20; i++)
        {
            await cluster.WriteAsync("n1", i, i);
        }

        // Releases leave after the acks, one-way, alone or on the next write's revoke (when they meet
        // in the peer's outbox): wait for all of them, then check nothing more was sent.
        await Eventually.TrueAsync(() => cluster.ReleasedWrites - before.Item4 >= 40, "every write releases both peers");
        (cluster.ReleasedWrites - before.Item4).Should().Be(40);
        (cluster.PeerMessages("revoke") - before.Item1).Should().Be(40);
        (cluster.PeerMessages("revoke_ok") - before.Item2).Should().Be(40);
        (cluster.PeerMessages("release") - before.Item3).Should().BeLessThanOrEqualTo(40);
    }

    [Fact]
    public async Task Writes_that_arrive_together_share_revoke_messages()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        var before = cluster.PeerMessages("revoke");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => cluster.WriteAsync("n1", i, i)));

        (cluster.PeerMessages("revoke") - before).Should().BeLessThan(400, "revocations queued together leave together");
    }
}
