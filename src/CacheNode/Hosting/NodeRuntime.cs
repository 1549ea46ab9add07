using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.Hosting;

/// <summary>What the node becomes at <c>init</c>: its identity, its database, its cache and its strategy.</summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    public NodeRuntime(ClusterMembership membership, IKeyValueDatabase database, CacheStore cache, ICacheStrategy strategy, ClusterCoherence? coherence, ClusterReplication? replication = null)
    {
        Replication = replication;
        Membership = membership;
        Database = database;
        Cache = cache;
        Strategy = strategy;
        Coherence = coherence;
    }

    public ClusterMembership Membership { get; }

    public string NodeId => Membership.NodeId;

    public IReadOnlyList<string> NodeIds => Membership.NodeIds;

    public IKeyValueDatabase Database { get; }

    public CacheStore Cache { get; }

    /// <summary>What client requests go through.</summary>
    public ICacheStrategy Strategy { get; }

    /// <summary>What a peer's request runs on: never forwarded again (write-behind's owner strategy).</summary>
    public ICacheStrategy LocalStrategy => Strategy is OwnerForwardingStrategy forwarding ? forwarding.Local : Strategy;

    /// <summary>Leases and revocations, for write-through and cache-aside in a cluster; null otherwise.</summary>
    public ClusterCoherence? Coherence { get; }

    /// <summary>Write-behind's backup copies and custody, for write-behind in a cluster; null otherwise.</summary>
    public ClusterReplication? Replication { get; }

    /// <summary>Starts what runs in the background (lease renewals, replication heartbeats); idempotent.</summary>
    public void StartBackgroundWork()
    {
        Coherence?.Start();
        Replication?.Start();
    }

    public async ValueTask DisposeAsync()
    {
        if (Coherence is not null)
        {
            await Coherence.DisposeAsync();
        }

        await Strategy.DisposeAsync();
        if (Replication is not null)
        {
            await Replication.DisposeAsync();
        }
    }
}
