using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Protocol;
using CacheNode.Strategies;

namespace CacheNode.IntegrationTests.Cluster;

/// <summary>Write-behind in a cluster: every request for a key runs on its owner, so there is one copy and nothing to invalidate.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OwnerForwardingTests
{
    private static readonly NodeOptions Options = new()
    {
        Strategy = StrategyKind.WriteBehind,
        Database = DatabaseKind.LinKv,
        DbTimeoutMs = 5000,
        WriteDelayMs = 5,
        // Generous, so a slow first request (JIT, a busy machine) is not taken for a failure.
        ForwardTimeoutMs = 2000,
        RequestTimeoutMs = 5000,
    };

    [Fact]
    public async Task Write_through_any_node_is_read_back_through_any_other()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);

        for (var key = 0; key < 12; key++)
        {
            var writer = cluster.Ids[key % 3];
            var reader = cluster.Ids[(key + 1) % 3];
            await cluster.WriteAsync(writer, key, key * 10);
            (await cluster.ReadAsync(reader, key)).Should().Be(key * 10);
        }

        var forwarded = 0L;
        foreach (var id in cluster.Ids)
        {
            forwarded += await cluster.StatAsync(id, "forwarded");
        }

        forwarded.Should().BeGreaterThan(0, "some keys were owned elsewhere");
    }

    [Fact]
    public async Task Cas_runs_on_the_owner_against_its_dirty_value()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options with { WriteDelayMs = 60_000 });
        var (owner, other) = OwnerAndOther(cluster, 5);
        await cluster.WriteAsync(owner, 5, 1);

        // The database has nothing yet; the owner's dirty value is what cas compares against.
        cluster.Service.ValueOf("5").Should().BeNull();
        (await cluster.RequestAsync(other, """{"type":"cas","key":5,"from":1,"to":2}""")).ShouldHave("type", "cas_ok");
        var mismatch = await cluster.RequestAsync(other, """{"type":"cas","key":5,"from":1,"to":3}""");
        mismatch.ShouldHave("code", 22);
        (await cluster.ReadAsync(other, 5)).Should().Be(2);
    }

    [Fact]
    public async Task Flush_at_any_node_drains_the_owners()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options with { WriteDelayMs = 60_000 });
        var (owner, other) = OwnerAndOther(cluster, 7);
        await cluster.WriteAsync(other, 7, 70);
        cluster.Service.ValueOf("7").Should().BeNull("it is dirty on its owner, " + owner);

        (await cluster.RequestAsync(other, """{"type":"flush"}""")).ShouldHave("type", "flush_ok");

        cluster.Service.ValueOf("7").Should().Be("70");
    }

    [Fact]
    public async Task Unreachable_owner_fails_reads_definitely_and_writes_indefinitely()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(Options);
        var (owner, other) = OwnerAndOther(cluster, 3);
        cluster.Isolate(owner);

        var read = await cluster.RequestAsync(other, """{"type":"read","key":3}""");
        var write = await cluster.RequestAsync(other, """{"type":"write","key":3,"value":1}""");

        read["code"]!.GetValue<int>().Should().Be(11, "a read changes nothing, so its failure is definite");
        write["code"]!.GetValue<int>().Should().Be(0, "the write may have reached the owner");
        cluster.Heal();
        (await cluster.RequestAsync(other, """{"type":"read","key":3}"""))["type"]!.GetValue<string>().Should().Be("error", "it was never written: the write above failed before reaching the owner");
    }

    private static (string Owner, string Other) OwnerAndOther(MultiNodeCluster cluster, int key)
    {
        var owner = new KeyOwnership(cluster.Ids).OwnerOf(RawJson.FromInt(key));
        return (owner, cluster.Ids.First(id => id != owner));
    }
}
