using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.Runtime;

/// <summary>What the node becomes at <c>init</c>: its identity, its database, its cache and its strategy.</summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    public required ClusterMembership Membership { get; init; }

    public string NodeId => Membership.NodeId;

    public IReadOnlyList<string> NodeIds => Membership.NodeIds;

    public required IKeyValueDatabase Database { get; init; }

    public required CacheStore Cache { get; init; }

    /// <summary>The single-flight read path over <see cref="Cache"/> (a home answers its peers' fills through it).</summary>
    public required SingleFlightReader Reader { get; init; }

    /// <summary>What client requests go through.</summary>
    public required ICacheStrategy Strategy { get; init; }

    /// <summary>What a peer's request runs on: never forwarded again (write-behind's owner strategy; otherwise <see cref="Strategy"/>).</summary>
    public required ICacheStrategy LocalStrategy { get; init; }

    /// <summary>Write-behind's dirty entries and backups, for <c>stats</c> (nothing, for the other strategies).</summary>
    public required IWriteBehindStats WriteBehindStats { get; init; }

    /// <summary>Key homes, holders and revocations, for write-through and cache-aside in a cluster; null otherwise.</summary>
    public ClusterCoherence? Coherence { get; init; }

    /// <summary>Write-behind's backup copies and custody, for write-behind in a cluster; null otherwise.</summary>
    public ClusterReplication? Replication { get; init; }

    /// <summary>Starts what runs in the background (a restarted home's revocations, replication heartbeats); idempotent.</summary>
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
