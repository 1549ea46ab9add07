using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Protocol;
using CacheNode.Strategies;
using Xunit.Abstractions;

namespace CacheNode.IntegrationTests.Cluster;

/// <summary>
/// A thousand concurrent cold reads of one key, spread over every node, cost one database read for the
/// whole cluster: each node sends one fill to the key's home (write-through, cache-aside) or forwards to
/// its owner (write-behind), and the home or owner runs one single-flight read.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StampedeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("write-through", 3)]
    [InlineData("cache-aside", 3)]
    [InlineData("write-behind", 3)]
    [InlineData("write-through", 5)]
    [InlineData("cache-aside", 5)]
    [InlineData("write-behind", 5)]
    public async Task Thousand_cold_reads_over_the_cluster_cost_one_database_read(string strategy, int nodes)
    {
        var options = new NodeOptions { Strategy = ClusterClient.Kind(strategy), Database = DatabaseKind.LinKv, DbTimeoutMs = 1000, LeaseMs = 1000, RequestTimeoutMs = 10_000, ForwardTimeoutMs = 10_000 };
        await using var cluster = await ClusterClient.StartServingAsync(options, nodes);
        cluster.Service.Seed("\"hot\"", "42");
        // Slow database replies keep every node's fill in flight while the stampede arrives.
        cluster.BeforeServiceReply = (_, _) => Task.Delay(50);

        var replies = await Task.WhenAll(Enumerable.Range(0, 1000)
            .Select(i => cluster.RequestAsync(cluster.Ids[i % nodes], """{"type":"read","key":"hot"}""")));

        // Timeouts are not the subject: a loaded machine may take seconds to answer a thousand requests.
        replies.Where(r => r["type"]!.GetValue<string>() != "read_ok" || r["value"]!.GetValue<int>() != 42)
            .Select(r => r.ToJsonString()).Should().BeEmpty();
        var reads = cluster.Service.Received("read");
        output.WriteLine($"{strategy}, {nodes} nodes: 1000 concurrent cold reads -> {reads} database reads");
        // Counted as fills, not as requests to the service: a loaded machine may retry a read that timed out.
        var home = new KeyOwnership(cluster.Ids).OwnerOf(new RawJson("\"hot\""));
        (await cluster.StatAsync(home, "fills")).Should().Be(1, "the key's home reads it once for the cluster");
        foreach (var node in cluster.Ids.Where(id => id != home))
        {
            (await cluster.StatAsync(node, "db_reads")).Should().Be(0, $"{node} fills from the home");
        }
    }
}
