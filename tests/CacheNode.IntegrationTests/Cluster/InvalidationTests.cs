using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Protocol;
using CacheNode.Strategies;

namespace CacheNode.IntegrationTests.Cluster;

/// <summary>
/// Three real nodes over one lin-kv. Each key has a home: other nodes fill from it under a key lease, a
/// write runs on the home and revokes exactly the nodes holding the key before it reaches the database,
/// a fill that loses the race to a revocation never installs, and a holder that cannot be reached is
/// waited out (its key lease), never served stale.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InvalidationTests
{
    private const int Key = 1;

    private static readonly NodeOptions Options = new()
    {
        Database = DatabaseKind.LinKv,
        DbTimeoutMs = 1000,
        LeaseMs = 200,
        PeerTimeoutMs = 100,
        // Not the subject of any test here: a write that waits out a lease on a loaded machine must not
        // be cut off by the node's own request deadline, nor a forwarded write or a fill by theirs.
        RequestTimeoutMs = 10_000,
        ForwardTimeoutMs = 5_000,
    };

    // Where the leases are not the subject. The key lease lasts the TTL (30 s); the volume lease is a
    // second, so that a home grants from one database fence after its start, as by default (no grant is
    // made before the volumes of its earlier run are over). The wait for a revoke's ack outlasts anything a
    // loaded machine makes a test wait for (one acked after more than 100 ms, and the write then waited out
    // the lease: 1 in 7 runs of the suite with both cores busy).
    private static readonly NodeOptions LongLeases = Options with { LeaseMs = 1_000, PeerTimeoutMs = 3_000 };

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task A_write_revokes_only_the_node_holding_the_key_which_then_fills_from_the_home(string strategy)
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases with { Strategy = ClusterClient.Kind(strategy) });
        var (home, holder, other) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        (await cluster.StatAsync(holder, "hits")).Should().Be(1, "the holder caches under the home's key lease");

        var before = (Holder: cluster.PeerMessages("revoke", home, holder), Other: cluster.PeerMessages("revoke", home, other));

        await cluster.WriteAsync(other, Key, 11);

        (cluster.PeerMessages("revoke", home, holder) - before.Holder).Should().Be(1);
        (cluster.PeerMessages("revoke", home, other) - before.Other).Should().Be(0, "the writer never read the key: it holds no copy");
        (await cluster.ReadAsync(holder, Key)).Should().Be(11);
        (await cluster.ReadAsync(other, Key)).Should().Be(11);
        (await cluster.StatAsync(holder, "db_reads")).Should().Be(0, "every miss fills from the home");
        (await cluster.StatAsync(other, "db_reads")).Should().Be(0);
        // Fills, not database reads: a loaded machine may retry a read that timed out.
        var expectedHomeFills = strategy == "cache-aside" ? 2 : 1;
        (await cluster.StatAsync(home, "fills")).Should().Be(expectedHomeFills, "the home fills once for the cluster (again after a cache-aside write)");
    }

    [Fact]
    public async Task A_write_of_a_key_nobody_else_holds_sends_nothing_to_the_peers()
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases);
        var (home, _, _) = Roles(cluster);
        var before = cluster.PeerMessages("revoke");

        await cluster.WriteAsync(home, Key, 11);

        cluster.PeerMessages("revoke").Should().Be(before);
        (await cluster.ReadAsync(home, Key)).Should().Be(11);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Fill_overtaken_by_a_revocation_never_installs_its_old_value(string strategy)
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases with { Strategy = ClusterClient.Kind(strategy) });
        var (home, holder, _) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        // The home's answer to the holder's fill is held back until the write is done; the revoke is not.
        var holdFill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fillAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.BeforePeerDeliver = (from, to, type) =>
            from == home && to == holder && type == "fill_ok" && fillAnswered.TrySetResult() ? holdFill.Task : Task.CompletedTask;

        var staleRead = cluster.ReadAsync(holder, Key);
        await fillAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cluster.WriteAsync(home, Key, 11);
        holdFill.SetResult();

        (await staleRead).Should().Be(10, "that read began before the write");
        (await cluster.ReadAsync(holder, Key)).Should().Be(11, "the old value must not have been cached");
        (await cluster.ReadAsync(holder, Key)).Should().Be(11);
        (await cluster.StatAsync(holder, "rejected_stale_fills")).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Write_during_a_partition_waits_out_the_unreachable_holders_volume_lease_not_its_key_lease(string strategy)
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options with { Strategy = ClusterClient.Kind(strategy) });
        var (home, holder, _) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        cluster.Isolate(holder);

        await cluster.WriteAsync(home, Key, 11);

        // The moment the write is acked, the isolated holder can no longer be serving its old copy.
        (await cluster.ReadAsync(holder, Key)).Should().Be(11);
        // The key lease lasts the TTL (30 s), beyond the request deadline (10 s): the write completed because
        // it waited only for the holder's volume lease (lease_ms) to end.
        (await cluster.StatAsync(home, "lease_waits")).Should().BeGreaterThanOrEqualTo(1, "the write waited out the volume lease of the holder it could not revoke");
        (await cluster.StatAsync(holder, "home_unreachable_reads")).Should().BeGreaterThan(0, "a holder cut off from the home reads the database directly");
    }

    [Fact]
    public async Task A_holder_that_missed_the_revoke_drops_its_copy_when_it_renews_its_volume()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        var (home, holder, _) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        // The revoke never reaches the holder; everything else does.
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.BeforePeerDeliver = (from, to, type) => from == home && to == holder && type == "revoke" ? never.Task : Task.CompletedTask;

        await cluster.WriteAsync(home, Key, 11);
        (await cluster.StatAsync(home, "lease_waits")).Should().BeGreaterThanOrEqualTo(1, "the write waited out the holder's volume");
        var renewals = cluster.PeerMessages("renew", holder, home);

        (await cluster.ReadAsync(holder, Key)).Should().Be(11, "the renewal listed the key, and the holder dropped it before its volume covered anything again");
        cluster.PeerMessages("renew", holder, home).Should().BeGreaterThan(renewals, "the read renewed the lapsed volume before serving");
        never.SetResult();
    }

    [Fact]
    public async Task A_fill_answered_while_a_write_of_the_key_is_in_progress_carries_no_lease()
    {
        // The write waits out a cut-off holder for a whole (long) lease; meanwhile another node misses.
        await using var cluster = await ClusterClient.StartServingAsync(Options with { LeaseMs = 2_000 });
        var (home, holder, other) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        cluster.Isolate(holder);
        var write = cluster.WriteAsync(home, Key, 11);
        await Eventually.TrueAsync(async () => await cluster.StatAsync(home, "lease_waits") > 0, "the write waits out the holder");

        // The home holds the fill for peer_timeout_ms, then reads the database around the write.
        (await cluster.ReadAsync(other, Key)).Should().Be(10, "the write has not reached the database");
        await write;

        (await cluster.ReadAsync(other, Key)).Should().Be(11, "the value read around the write was not cached");
    }

    [Fact]
    public async Task Nodes_that_reach_the_home_keep_caching_while_another_node_is_cut_off()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options);
        var (home, holder, other) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync(holder, Key);
        cluster.Isolate(other);

        // Past the holder's volume lease it renews it from the home, which the cut-off node does not concern.
        var renewals = cluster.PeerMessages("renew");
        await Eventually.TrueAsync(
            async () => await cluster.ReadAsync(holder, Key) == 10 && cluster.PeerMessages("renew") > renewals,
            "the holder renews its volume lease from the home");
        var hits = await cluster.StatAsync(holder, "hits");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        (await cluster.StatAsync(holder, "hits")).Should().Be(hits + 1, "the renewed copy is served from the cache");
        (await cluster.StatAsync(holder, "home_unreachable_reads")).Should().Be(0);
        (await cluster.StatAsync(home, "fills")).Should().Be(1, "renewals come from the home's cache");
    }

    [Fact]
    public async Task A_restarted_home_revokes_every_peer_for_one_key_lease_since_it_forgot_whom_it_granted()
    {
        // Long key leases: the holder's copy outlives the home's restart.
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases);
        var (home, holder, _) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);

        await cluster.RestartAsync(home, waitForRecovery: false);
        await cluster.WriteAsync(home, Key, 11);

        (await cluster.ReadAsync(holder, Key)).Should().Be(11, "the new run revoked the copy its earlier run granted");
        cluster.PeerMessages("revoke", home, holder).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_restarted_home_whose_revocations_do_not_get_through_waits_out_what_its_earlier_run_granted()
    {
        await using var cluster = await ClusterClient.StartServingAsync(Options with { LeaseMs = 3_000 });
        var (home, holder, _) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        (await cluster.ReadAsync(holder, Key)).Should().Be(10);
        // Every revoke from the home to the holder (the new run's "revoke all" too) is held back.
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.BeforePeerDeliver = (from, to, type) => from == home && to == holder && type == "revoke" ? never.Task : Task.CompletedTask;

        await cluster.RestartAsync(home, waitForRecovery: false);
        await cluster.WriteAsync(home, Key, 11);

        (await cluster.ReadAsync(holder, Key)).Should().Be(11, "the write waited until nothing the earlier run granted could be in use");
        (await cluster.StatAsync(home, "lease_waits")).Should().BeGreaterThanOrEqualTo(1);
        never.SetResult();
    }

    [Fact]
    public async Task Client_invalidate_drops_the_copy_on_every_node()
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases);
        var (home, holder, other) = Roles(cluster);
        cluster.Service.Seed("1", "10");
        await cluster.ReadAsync(holder, Key);
        await cluster.ReadAsync(other, Key);
        cluster.Service.Seed("1", "20");

        (await cluster.RequestAsync(holder, """{"type":"invalidate","key":1}""")).ShouldHave("type", "invalidate_ok");

        (await cluster.ReadAsync(holder, Key)).Should().Be(20);
        (await cluster.ReadAsync(other, Key)).Should().Be(20);
        (await cluster.ReadAsync(home, Key)).Should().Be(20);
    }

    [Fact]
    public async Task Without_faults_a_write_costs_two_messages_per_holder_and_two_for_the_forward()
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases);
        var (home, holder, other) = Roles(cluster);
        for (var i = 0; i < 20; i++)
        {
            await cluster.WriteAsync(home, Key, i);
            await cluster.ReadAsync(holder, Key);
        }

        var before = Totals(cluster);
        await cluster.WriteAsync(other, Key, 100);
        var after = Totals(cluster);

        (after.Revokes - before.Revokes).Should().Be(1);
        (after.Acks - before.Acks).Should().Be(1);
        (after.Forwards - before.Forwards).Should().Be(2, "the write goes to the home and its ack comes back");
        (after.Fills - before.Fills).Should().Be(0);
    }

    [Fact]
    public async Task Writes_that_arrive_together_share_revoke_messages()
    {
        await using var cluster = await ClusterClient.StartServingAsync(LongLeases);
        var (home, holder, _) = Roles(cluster);
        var keys = Enumerable.Range(0, 200).Where(k => HomeOf(cluster, k) == home).ToList();
        foreach (var key in keys)
        {
            cluster.Service.Seed(key.ToString(System.Globalization.CultureInfo.InvariantCulture), "0");
            await cluster.ReadAsync(holder, key);
        }

        var before = cluster.PeerMessages("revoke");
        await Task.WhenAll(keys.Select(key => cluster.WriteAsync(home, key, key)));

        (await cluster.StatAsync(holder, "invalidations_received")).Should().Be(keys.Count, "every key the holder read was revoked");
        (cluster.PeerMessages("revoke") - before).Should().BeLessThan(keys.Count, "revocations queued together leave together");
    }

    // The key's home, a node that reads (and so holds) it, and a third node.
    private static (string Home, string Holder, string Other) Roles(MultiNodeCluster cluster)
    {
        var home = HomeOf(cluster, Key);
        var others = cluster.Ids.Where(id => id != home).ToList();
        return (home, others[0], others[1]);
    }

    private static string HomeOf(MultiNodeCluster cluster, int key) => new KeyOwnership(cluster.Ids).OwnerOf(RawJson.FromInt(key));

    private static (int Revokes, int Acks, int Forwards, int Fills) Totals(MultiNodeCluster cluster) =>
        (cluster.PeerMessages("revoke"), cluster.PeerMessages("revoke_ok"), cluster.PeerMessages("write") + cluster.PeerMessages("write_ok"), cluster.PeerMessages("fill"));
}
