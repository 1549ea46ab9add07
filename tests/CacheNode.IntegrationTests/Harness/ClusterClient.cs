using CacheNode.Configuration;
using CacheNode.Strategies;

namespace CacheNode.IntegrationTests.Harness;

/// <summary>What cluster tests ask of a <see cref="MultiNodeCluster"/> as a client would: reads and writes that must succeed, and a cluster whose caches serve.</summary>
internal static class ClusterClient
{
    /// <summary>The strategy named as in <c>CACHENODE_STRATEGY</c>, for theories over strategies.</summary>
    public static StrategyKind Kind(string name) => name switch
    {
        "cache-aside" => StrategyKind.CacheAside,
        "write-behind" => StrategyKind.WriteBehind,
        "proxy" => StrategyKind.Proxy,
        _ => StrategyKind.WriteThrough,
    };

    /// <summary>Starts a cluster and waits until every node's cache serves (it holds leases from every peer).</summary>
    public static async Task<MultiNodeCluster> StartServingAsync(NodeOptions options, int count = 3)
    {
        var cluster = await MultiNodeCluster.StartAsync(options, count);
        foreach (var id in cluster.Ids)
        {
            await cluster.WaitUntilServingAsync(id);
        }

        return cluster;
    }

    public static Task WaitUntilServingAsync(this MultiNodeCluster cluster, string node) =>
        Eventually.TrueAsync(async () => (await cluster.RequestAsync(node, """{"type":"stats"}"""))["cache_serving"]!.GetValue<bool>(), $"{node} should get leases from its peers");

    public static async Task<int> ReadAsync(this MultiNodeCluster cluster, string node, int key)
    {
        var reply = await cluster.RequestAsync(node, $$"""{"type":"read","key":{{key}}}""");
        reply["type"]!.GetValue<string>().Should().Be("read_ok", reply.ToJsonString());
        return reply["value"]!.GetValue<int>();
    }

    public static async Task WriteAsync(this MultiNodeCluster cluster, string node, int key, int value)
    {
        var reply = await cluster.RequestAsync(node, $$"""{"type":"write","key":{{key}},"value":{{value}}}""");
        reply["type"]!.GetValue<string>().Should().Be("write_ok", reply.ToJsonString());
    }
}
