using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// What keeps the caches of write-through and cache-aside nodes coherent. Every key has a home (the
/// first node in its rendezvous ranking): the home alone writes the key, records which peers it let
/// cache it (<see cref="Holders"/>), and revokes exactly those before each write
/// (<see cref="Revoker"/>); the other nodes fill from the home (<see cref="Fills"/>).
/// </summary>
internal sealed class ClusterCoherence : IAsyncDisposable
{
    private readonly ClusterMembership _membership;
    private readonly LeaseTiming _timing;
    private readonly RpcClient _rpc;
    private readonly NodeServices _services;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _clearing = [];

    /// <param name="run">This run of the node (its start in Unix ms): peers scope what it grants by it.</param>
    /// <param name="keyLease">How long a key lease lasts (the cache's time to live): the volume lease, not the key lease, is what an unanswering holder is waited out for.</param>
    /// <param name="volumes">This node's volume leases as a holder (the cache checks copies against them).</param>
    public ClusterCoherence(ClusterMembership membership, long run, LeaseTiming timing, TimeSpan keyLease, HomeVolumes volumes, CacheStore cache, IKeyValueDatabase database, RpcClient rpc, TimeSpan fillTimeout, NodeServices services)
    {
        _membership = membership;
        _timing = timing;
        _rpc = rpc;
        _services = services;
        Ownership = new KeyOwnership(membership.NodeIds);
        Holders = new HolderTable(membership.Peers, timing, services.Time, keyLease);
        Ledger = new VolumeLedger(run, timing, services.Time);
        Volumes = volumes;

        Revoker = new HolderRevoker(
            Holders,
            Ledger,
            membership.Peers.Select(peer => new RevokeOutbox(peer, rpc, timing.PeerTimeout, services)),
            timing.PeerTimeout,
            services);
        KeyLease = keyLease;
        Fills = new HomeFillSource(membership, Ownership, database, rpc, timing, keyLease, volumes, cache, fillTimeout, services);
        Renewer = new VolumeRenewer(volumes, cache, Fills, rpc, fillTimeout, services.Time);
    }

    public KeyOwnership Ownership { get; }

    /// <summary>How long a key lease this node grants lasts (<c>fill_ok</c>'s <c>lease_ms</c>).</summary>
    public TimeSpan KeyLease { get; }

    /// <summary>Which peers may hold which of this node's keys.</summary>
    public HolderTable Holders { get; }

    /// <summary>As a home: each peer's volume lease and the drops it has yet to apply.</summary>
    public VolumeLedger Ledger { get; }

    /// <summary>As a holder: the volume lease each home granted this node.</summary>
    public HomeVolumes Volumes { get; }

    /// <summary>As a holder: renews a home's volume lease when a read needs it.</summary>
    public VolumeRenewer Renewer { get; }

    /// <summary>The home's half of a write: revoke the holders, or wait them out.</summary>
    public HolderRevoker Revoker { get; }

    /// <summary>Where misses fill from: the database for this node's keys, the home for the others.</summary>
    public HomeFillSource Fills { get; }

    /// <summary>
    /// Asks every peer to drop whatever this node's earlier run (before a crash) may have let it cache, so
    /// that writes need not revoke every peer for a lease's length after a restart; idempotent.
    /// </summary>
    public void Start()
    {
        lock (_clearing)
        {
            if (_clearing.Count == 0)
            {
                _clearing.AddRange(_membership.Peers.Select(peer => ClearEarlierRunAsync(peer, _stopping.Token)));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] clearing;
        lock (_clearing)
        {
            clearing = [.. _clearing];
        }

        await Task.WhenAll(clearing);
        await Revoker.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ClearEarlierRunAsync(string peer, CancellationToken cancellationToken)
    {
        var time = _services.Time;
        try
        {
            // Past that moment nothing the earlier run granted is in use anyway.
            while (time.Now() < Holders.EarlierRunGrantsUntil)
            {
                try
                {
                    _services.Stats.PeerMessage();
                    var reply = await _rpc.CallAsync(peer, new RevokeRequest { Keys = [], All = true }, _timing.PeerTimeout, cancellationToken);
                    if (reply.Type == "revoke_ok")
                    {
                        Holders.EarlierRunCleared(peer);
                        return;
                    }
                }
                catch (RpcTimeoutException)
                {
                    // Unreachable for now: try again while it matters.
                }

                // Not initialized yet (error 11), or unreachable: the cluster may still be starting.
                await Task.Delay(_timing.PeerTimeout, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
