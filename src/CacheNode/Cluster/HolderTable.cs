using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// The home's record of which peers may be serving a copy of one of its keys, and until when on the
/// home's own clock: every key lease it granted (from the moment it granted it, plus the drift margin).
/// A write revokes exactly these peers, so its cost follows how many nodes hold the key, not how many
/// nodes there are.
/// </summary>
/// <remarks>
/// A node that has just started cannot know what its earlier run granted before a crash: until one
/// grant's lifetime after the start, every peer counts as holding every key. Nor does it grant anything
/// for one database fence after the start, since a write its earlier run sent may still land.
/// </remarks>
internal sealed class HolderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, Dictionary<string, Timestamp>> _holders = [];
    private readonly IReadOnlyList<string> _peers;
    private readonly TimeProvider _time;
    private readonly TickSpan _grantedFor;
    private readonly Timestamp _earlierRunGrantsUntil;
    private readonly Timestamp _grantsFrom;
    // Peers that dropped whatever this node's earlier run may have let them cache (revoke all).
    private readonly HashSet<string> _earlierRunCleared = new(StringComparer.Ordinal);
    // Keys read but never written again keep expired records; they are swept every so many grants.
    private const int SweepEvery = 4096;
    private int _recordsSinceSweep;

    /// <param name="keyLease">How long a key lease lasts (null: one <c>lease_ms</c>, as the volume leases).</param>
    public HolderTable(IReadOnlyList<string> peers, LeaseTiming timing, TimeProvider time, TimeSpan? keyLease = null)
    {
        _peers = peers;
        _time = time;
        _grantedFor = time.SpanRoundedUp(timing.GrantedForLease(keyLease ?? timing.Lease));
        var startedAt = time.Now();
        // Whatever the earlier run let peers cache was covered by its volume leases, the last of which it
        // granted before this run started.
        _earlierRunGrantsUntil = startedAt + time.SpanRoundedUp(timing.GrantedFor);
        // Nothing is granted (and no holder recorded) before the earlier run's volumes are over either: a
        // peer with a record of this run would otherwise be waited out only as far as this run's volume,
        // while it may still serve a copy from the earlier run (review of the volume-lease branch, hole 2).
        _grantsFrom = startedAt + time.SpanRoundedUp(timing.StartupFence);
    }

    /// <summary>Whether a key lease may be granted now (not during the fence after this node started).</summary>
    public bool MayGrant => _time.Now() >= _grantsFrom;

    /// <summary>
    /// Records that <paramref name="peer"/> may hold <paramref name="key"/> from now on. Called before the
    /// value is read for it, so any write that begins afterwards revokes the peer.
    /// </summary>
    public void Record(RawJson key, string peer)
    {
        var now = _time.Now();
        var until = now + _grantedFor;
        lock (_gate)
        {
            if (!_holders.TryGetValue(key, out var peers))
            {
                peers = new Dictionary<string, Timestamp>(StringComparer.Ordinal);
                _holders.Add(key, peers);
            }

            peers[peer] = peers.TryGetValue(peer, out var earlier) ? Timestamp.Max(until, earlier) : until;
            if (++_recordsSinceSweep >= SweepEvery)
            {
                _recordsSinceSweep = 0;
                SweepExpired(now);
            }
        }
    }

    // Under the lock.
    private void SweepExpired(Timestamp now)
    {
        foreach (var (key, peers) in _holders.ToList())
        {
            foreach (var (peer, until) in peers.ToList())
            {
                if (until <= now)
                {
                    peers.Remove(peer);
                }
            }

            if (peers.Count == 0)
            {
                _holders.Remove(key);
            }
        }
    }

    /// <summary>Every peer that may be serving <paramref name="key"/> now, with when its last grant runs out.</summary>
    public IReadOnlyList<Holder> HoldersOf(RawJson key)
    {
        var now = _time.Now();
        var holders = new List<Holder>();
        lock (_gate)
        {
            if (_holders.TryGetValue(key, out var peers))
            {
                foreach (var (peer, until) in peers.ToList())
                {
                    if (until <= now)
                    {
                        peers.Remove(peer);
                    }
                    else
                    {
                        holders.Add(new Holder(peer, until));
                    }
                }

                if (peers.Count == 0)
                {
                    _holders.Remove(key);
                }
            }
        }

        if (now < _earlierRunGrantsUntil)
        {
            // What this node's earlier run may have granted: anyone, until one grant's lifetime after the
            // start, unless the peer has since dropped every key of this node's.
            foreach (var peer in EarlierRunHolders())
            {
                var index = holders.FindIndex(h => h.Peer == peer);
                if (index < 0)
                {
                    holders.Add(new Holder(peer, _earlierRunGrantsUntil, FromEarlierRun: true));
                }
                else if (holders[index].Until < _earlierRunGrantsUntil)
                {
                    holders[index] = new Holder(peer, _earlierRunGrantsUntil, FromEarlierRun: true);
                }
            }
        }

        return holders;
    }

    /// <summary>
    /// The peer acknowledged a revocation of <paramref name="key"/>: it dropped its copy. Forgotten only if
    /// no newer grant was recorded since <paramref name="revoked"/> was taken (a fill that came meanwhile).
    /// </summary>
    public void Revoked(RawJson key, Holder revoked)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(key, out var peers)
                && peers.TryGetValue(revoked.Peer, out var until)
                && until == revoked.Until)
            {
                peers.Remove(revoked.Peer);
                if (peers.Count == 0)
                {
                    _holders.Remove(key);
                }
            }
        }
    }

    /// <summary>Whether a grant from this node's earlier run may still be in use (on some peer not yet cleared).</summary>
    public bool MayHaveEarlierRunHolders => _time.Now() < _earlierRunGrantsUntil && EarlierRunHolders().Count > 0;

    /// <summary>Until when a grant from this node's earlier run may be in use.</summary>
    public Timestamp EarlierRunGrantsUntil => _earlierRunGrantsUntil;

    /// <summary><paramref name="peer"/> acknowledged a revoke of every key this node is home to.</summary>
    public void EarlierRunCleared(string peer)
    {
        lock (_gate)
        {
            _earlierRunCleared.Add(peer);
        }
    }

    private List<string> EarlierRunHolders()
    {
        lock (_gate)
        {
            return _peers.Where(peer => !_earlierRunCleared.Contains(peer)).ToList();
        }
    }

    /// <summary>Keys with at least one recorded holder (for <c>stats</c>).</summary>
    public int KeysHeld
    {
        get
        {
            lock (_gate)
            {
                return _holders.Count;
            }
        }
    }
}

/// <summary>A peer that may hold a copy of a key until <paramref name="Until"/> (on the home's clock).</summary>
/// <param name="FromEarlierRun">
/// The copy may come from this node's earlier run (before a restart): covered by that run's volume
/// leases, which end by <paramref name="Until"/>; this run's drop lists know nothing of it.
/// </param>
internal readonly record struct Holder(string Peer, Timestamp Until, bool FromEarlierRun = false);
