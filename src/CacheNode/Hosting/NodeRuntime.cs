using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Strategies;

namespace CacheNode.Hosting;

/// <summary>What the node becomes at <c>init</c>: its identity, its database, its cache and its strategy.</summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    public NodeRuntime(string nodeId, IReadOnlyList<string> nodeIds, IKeyValueDatabase database, CacheStore cache, ICacheStrategy strategy)
    {
        NodeId = nodeId;
        NodeIds = nodeIds;
        Database = database;
        Cache = cache;
        Strategy = strategy;
    }

    public string NodeId { get; }

    public IReadOnlyList<string> NodeIds { get; }

    public IKeyValueDatabase Database { get; }

    public CacheStore Cache { get; }

    public ICacheStrategy Strategy { get; }

    public ValueTask DisposeAsync() => Strategy.DisposeAsync();
}
