using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.IntegrationTests.Cluster;

/// <summary>
/// Write-behind's promise under crashes: an acked write is on its owner and on the key's backup, a
/// restarted owner takes its dirty entries back before serving, and an owner that stays down has them
/// flushed by its backup. Real nodes, a real (fake) lin-kv, crashes that lose the node's memory.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class WriteBehindDurabilityTests
{
    private static readonly NodeOptions Options = new()
    {
        Strategy = StrategyKind.WriteBehind,
        Database = DatabaseKind.LinKv,
        DbTimeoutMs = 300,
        // Nothing is flushed unless a test asks: what the database holds is what recovery or a backup put there.
        WriteDelayMs = 600_000,
        // Generous, so a slow first request (JIT, a busy machine) is not taken for a failure.
        ForwardTimeoutMs = 2000,
        RequestTimeoutMs = 5000,
        PeerTimeoutMs = 100,
        LeaseMs = 400,
    };

    [Fact]
    public async Task Write_is_acked_only_once_its_backup_holds_it_and_the_backup_lets_go_after_the_flush()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var (owner, backup) = OwnerAndBackup(cluster, 4);

        await cluster.WriteAsync(owner, 4, 40);
        (await cluster.StatAsync(backup, "backup_entries")).Should().Be(1, "the ack waited for the backup's copy");

        await FlushAsync(cluster, owner);
        cluster.Service.ValueOf("4").Should().Be("40");
        // On a loaded machine the owner's custody can lapse (lease_ms is short here) and its recovery take
        // the backup's copy back as dirty before the flush notice arrives: flushing again, as a client
        // would, ends that. Without the notice the backup would hold the copy however often it is flushed.
        await Eventually.TrueAsync(
            async () =>
            {
                if (await cluster.StatAsync(backup, "backup_entries") == 0)
                {
                    return true;
                }

                await FlushAsync(cluster, owner);
                return false;
            },
            "the owner reports the flush with its next heartbeat");
    }

    [Fact]
    public async Task Owner_cut_off_from_the_backup_does_not_ack_and_the_write_never_shows()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var (owner, _) = OwnerAndBackup(cluster, 4);
        await cluster.WriteAsync(owner, 4, 40);

        cluster.Isolate(owner);
        var write = await cluster.RequestAsync(owner, """{"type":"write","key":4,"value":41}""");

        write["code"]!.GetValue<int>().Should().Be(0, "the copy may have reached the backup: indefinite");
        (await cluster.ReadAsync(owner, 4)).Should().Be(40, "a write its backup does not hold is not served");
        // The client may have had its error 0 from request_timeout_ms while the copy was still being tried.
        await Eventually.TrueAsync(async () => await cluster.StatAsync(owner, "backup_failures") > 0, "the copy failed");
        cluster.Heal();
    }

    [Fact]
    public async Task Failed_copy_of_a_newer_write_does_not_cost_the_backup_its_copy_of_the_older_acked_one()
    {
        // A long lease: the backup must not flush for the owner while it is cut off, only hold copies.
        await using var cluster = await MultiNodeCluster.StartAsync(Options with { LeaseMs = 3000 });
        var (owner, backup) = OwnerAndBackup(cluster, 4);
        await cluster.WriteAsync(owner, 4, 40);

        cluster.Isolate(owner);
        (await cluster.RequestAsync(owner, """{"type":"write","key":4,"value":41}""")).ShouldHave("code", 0);
        var heartbeats = cluster.PeerMessages("backup_ok", backup, owner);
        cluster.Heal();
        // The owner tells the backup about the failed write with its next heartbeat: two answered
        // heartbeats after the heal, and the backup has heard.
        await Eventually.TrueAsync(() => cluster.PeerMessages("backup_ok", backup, owner) >= heartbeats + 2, "heartbeats resume after the heal");
        (await cluster.StatAsync(backup, "backup_entries")).Should().Be(1, "the acked 40 is still dirty on the owner, so its copy stays");

        cluster.Kill(owner);
        await cluster.RestartAsync(owner);
        (await cluster.ReadAsync(cluster.Ids.First(id => id != owner), 4)).Should().Be(40, "the acked write survives; the failed one never happened");
    }

    [Fact]
    public async Task Killed_owner_comes_back_with_every_acked_write_and_flushes_them()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var owner = cluster.Ids[0];
        var keys = KeysOwnedBy(cluster, owner, 6);
        foreach (var key in keys)
        {
            await cluster.WriteAsync(cluster.Ids[1], key, key * 10);
        }

        cluster.Kill(owner);
        keys.Should().OnlyContain(key => cluster.Service.ValueOf(Key(key)) == null, "nothing was flushed before the crash");

        await cluster.RestartAsync(owner);

        foreach (var key in keys)
        {
            (await cluster.ReadAsync(cluster.Ids[2], key)).Should().Be(key * 10);
        }

        // At least once each: on a loaded machine the restarted owner's heartbeats can be late enough for its
        // custody to lapse, and it then recovers again and counts the same entries twice (1 round in 5 of
        // the integration loop with both cores busy). What matters is that they came back, and are flushed.
        (await cluster.StatAsync(owner, "recovered_entries")).Should().BeGreaterThanOrEqualTo(keys.Count, "every acked write came back from the backup");
        await FlushAsync(cluster, owner);
        keys.Should().OnlyContain(key => cluster.Service.ValueOf(Key(key)) == (key * 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Control_without_backups_a_killed_owner_loses_its_acked_writes()
    {
        // The same crash as above with the (testing-only) switch that keeps dirty entries on the owner
        // alone: this is what the backups prevent, and what the tests above would catch.
        await using var cluster = await MultiNodeCluster.StartAsync(Options with { UnsafeNoBackup = true });
        var owner = cluster.Ids[0];
        var key = KeysOwnedBy(cluster, owner, 1)[0];
        await cluster.WriteAsync(cluster.Ids[1], key, 55);

        cluster.Kill(owner);
        await cluster.RestartAsync(owner);

        var read = await cluster.RequestAsync(cluster.Ids[2], $$"""{"type":"read","key":{{key}}}""");
        read["code"]?.GetValue<int>().Should().Be(20, "the acked write died with its owner");
    }

    [Fact]
    public async Task Owner_that_stays_down_has_its_entries_flushed_by_the_backup_and_gets_them_as_flushed_when_back()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var owner = cluster.Ids[0];
        var keys = KeysOwnedBy(cluster, owner, 4);
        foreach (var key in keys)
        {
            await cluster.WriteAsync(owner, key, key + 100);
        }

        cluster.Kill(owner);
        await Eventually.TrueAsync(
            () => Task.FromResult(keys.All(key => cluster.Service.ValueOf(Key(key)) == (key + 100).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            "the backups flush the orphans once the owner's custody and a database timeout have run out");

        await cluster.RestartAsync(owner);
        foreach (var key in keys)
        {
            (await cluster.ReadAsync(owner, key)).Should().Be(key + 100);
        }

        // Writing again after all that: the new value wins everywhere.
        await cluster.WriteAsync(owner, keys[0], 7);
        await FlushAsync(cluster, owner);
        cluster.Service.ValueOf(Key(keys[0])).Should().Be("7");
    }

    [Fact]
    public async Task Restarted_backup_gets_every_dirty_copy_again()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var (owner, backup) = OwnerAndBackup(cluster, 4);
        await cluster.WriteAsync(owner, 4, 40);

        cluster.Kill(backup);
        await cluster.RestartAsync(backup);

        await Eventually.TrueAsync(async () => await cluster.StatAsync(backup, "backup_entries") == 1, "the owner copies its entries to the new run of its backup");
        // And now the owner may crash without losing the write.
        cluster.Kill(owner);
        await cluster.RestartAsync(owner);
        (await cluster.ReadAsync(owner, 4)).Should().Be(40);
    }

    [Fact]
    public async Task Orphan_flush_still_on_its_way_when_the_backup_dies_cannot_overwrite_a_later_write()
    {
        // The database timeout is long so the late write can land well after the owner's next flush
        // would have, had the owner not waited for it.
        var options = Options with { DbTimeoutMs = 3000 };
        await using var cluster = await MultiNodeCluster.StartAsync(options);
        var (owner, backup) = OwnerAndBackup(cluster, 4);
        await cluster.WriteAsync(owner, 4, 40);

        // Cut off, the owner's entry is flushed by its backup; that write is held on its way to lin-kv.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 0;
        cluster.BeforeServiceApply = (from, type) =>
            from == backup && type == "write" && Interlocked.Exchange(ref first, 1) == 0
                ? HoldAsync()
                : Task.CompletedTask;
        async Task HoldAsync()
        {
            held.TrySetResult();
            await release.Task;
        }

        var heldLanded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.AfterServiceApply = (from, type) =>
        {
            if (from == backup && type == "write" && release.Task.IsCompleted)
            {
                heldLanded.TrySetResult();
            }
        };

        cluster.Isolate(owner);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var sentAt = DateTime.UtcNow;
        cluster.Kill(backup);
        cluster.Heal();
        await cluster.RestartAsync(backup);

        // The owner may not have taken its entries back from the new backup yet (on a loaded machine its
        // recovery can trail the restart): until then a write is refused with definite error 11, as a
        // client would retry.
        await Eventually.TrueAsync(
            async () => (await cluster.RequestAsync(owner, """{"type":"write","key":4,"value":41}"""))["type"]!.GetValue<string>() == "write_ok",
            "the owner takes the write once it has recovered from the restarted backup");
        var flush = cluster.RequestAsync(owner, """{"type":"flush"}""", TimeSpan.FromSeconds(20));
        // The held write lands within a database timeout of being sent (the stated assumption): when the
        // owner's flush is done, or just before that timeout at the latest.
        await Task.WhenAny(flush, Task.Delay(sentAt + TimeSpan.FromMilliseconds(options.DbTimeoutMs - 300) - DateTime.UtcNow));
        release.TrySetResult();
        (await flush).ShouldHave("type", "flush_ok");
        await heldLanded.Task.WaitAsync(TimeSpan.FromSeconds(20));

        cluster.Service.ValueOf("4").Should().Be("41", "the owner waited out the dead backup run's flush before its own");
        (await cluster.ReadAsync(owner, 4)).Should().Be(41);
    }

    private static (string Owner, string Backup) OwnerAndBackup(MultiNodeCluster cluster, int key)
    {
        var owner = new KeyOwnership(cluster.Ids).OwnerOf(RawJson.FromInt(key));
        return (owner, BackupRanking.SuccessorOf(owner, cluster.Ids));
    }

    private static List<int> KeysOwnedBy(MultiNodeCluster cluster, string owner, int count)
    {
        var ownership = new KeyOwnership(cluster.Ids);
        return Enumerable.Range(0, 1000).Where(key => ownership.OwnerOf(RawJson.FromInt(key)) == owner).Take(count).ToList();
    }

    private static async Task FlushAsync(MultiNodeCluster cluster, string node) =>
        (await cluster.RequestAsync(node, """{"type":"flush"}""", TimeSpan.FromSeconds(10))).ShouldHave("type", "flush_ok");

    private static string Key(int key) => key.ToString(System.Globalization.CultureInfo.InvariantCulture);

}
