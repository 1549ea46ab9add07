using CacheNode.Cache;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Cluster;

/// <summary>
/// Everything that keeps the caches of write-through and cache-aside nodes coherent: the leases this
/// node holds and grants, the revocations it holds for its peers' writes, and the invalidator its own
/// writes go through. Started at <c>init</c>, disposed at shutdown.
/// </summary>
internal sealed class ClusterCoherence : IAsyncDisposable
{
    private readonly LeaseRenewer _renewer;

    public ClusterCoherence(
        ClusterMembership membership,
        LeaseTiming timing,
        CacheStore cache,
        RpcClient rpc,
        MessageWriter writer,
        NodeServices services)
    {
        var (time, stats, log) = services;
        var held = new HeldLeases(membership.Peers, timing, cache, time);
        Grants = new GrantedLeases(membership.Peers, timing, time);
        Revocations = new ReceivedRevocations(cache, time, stats, timing.RevocationTtl);
        var outboxes = membership.Peers
            .Select(peer => new PeerOutbox(peer, rpc, writer, () => membership.NodeId, timing, stats, log))
            .ToArray();
        Invalidator = new PeerInvalidator(outboxes, Grants, timing, time, stats);
        _renewer = new LeaseRenewer(membership.Peers, rpc, held, Revocations, timing, time, log);
    }

    public GrantedLeases Grants { get; }

    public ReceivedRevocations Revocations { get; }

    public PeerInvalidator Invalidator { get; }

    public void Start() => _renewer.Start();

    public async ValueTask DisposeAsync()
    {
        await _renewer.DisposeAsync();
        await Invalidator.DisposeAsync();
    }
}
