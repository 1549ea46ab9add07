using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// The leases this node has granted its peers. A write that cannot get a peer's acknowledgement blocks
/// that peer (no more grants) and waits until the last lease granted to it has run out, so the peer has
/// stopped serving before the write reaches the database. Blocks nest: the peer is granted leases
/// again only when every write that blocked it has finished.
/// </summary>
internal sealed class GrantedLeases
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PeerGrant> _peers;
    private readonly TimeProvider _time;
    private readonly TickSpan _grantedFor;
    private readonly Timestamp _firstGrantAt;

    public GrantedLeases(IEnumerable<string> peers, LeaseTiming timing, TimeProvider time)
    {
        _time = time;
        // Rounded up: the grantor errs towards waiting longer.
        _grantedFor = time.SpanRoundedUp(timing.GrantedFor);
        // A node that just started cannot know what an earlier run of itself granted before it crashed:
        // it counts every peer as granted now, so its first writes wait out any such lease.
        var now = time.Now();
        // Nor can it know whether it sent a database write just before that crash, past a peer it had
        // waited out: such a write may still land for up to a database timeout, so no grants until then.
        _firstGrantAt = now + time.SpanRoundedUp(timing.DatabaseFence);
        _peers = peers.ToDictionary(peer => peer, _ => new PeerGrant { LastGrantedAt = now }, StringComparer.Ordinal);
    }

    /// <summary>Grants <paramref name="peer"/> a lease, unless a write is waiting for its lease to run out.</summary>
    public bool TryGrant(string peer)
    {
        var now = _time.Now();
        lock (_gate)
        {
            if (now < _firstGrantAt || !_peers.TryGetValue(peer, out var grant) || grant.Blocks > 0)
            {
                return false;
            }

            grant.LastGrantedAt = now;
            return true;
        }
    }

    /// <summary>Stops granting <paramref name="peer"/> leases; returns when its last lease runs out.</summary>
    public Timestamp Block(string peer)
    {
        lock (_gate)
        {
            var grant = _peers[peer];
            grant.Blocks++;
            return grant.LastGrantedAt + _grantedFor;
        }
    }

    /// <summary>Ends one <see cref="Block"/>.</summary>
    public void Unblock(string peer)
    {
        lock (_gate)
        {
            _peers[peer].Blocks--;
        }
    }


    private sealed class PeerGrant
    {
        public Timestamp LastGrantedAt { get; set; }

        public int Blocks { get; set; }
    }
}
