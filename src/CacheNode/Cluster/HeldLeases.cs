using CacheNode.Cache;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// The leases this node holds, one per peer. The cache serves only while it holds all of them: a peer
/// that cannot reach this node stops renewing, and before that peer lets a write reach the database
/// the lease has run out here, so the old value is no longer served.
/// </summary>
internal sealed class HeldLeases
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Timestamp> _expiries;
    private readonly CacheStore _cache;
    private readonly TickSpan _heldFor;
    private readonly Timestamp _notBefore;

    private readonly TimeProvider _time;
    private readonly Timestamp _startedAt;

    public HeldLeases(IEnumerable<string> peers, LeaseTiming timing, CacheStore cache, TimeProvider time)
    {
        _time = time;
        _startedAt = time.Now();
        _expiries = peers.ToDictionary(peer => peer, _ => Timestamp.LongAgo, StringComparer.Ordinal);
        _cache = cache;
        // Rounded down: the holder errs towards a shorter lease.
        _heldFor = time.SpanRoundedDown(timing.HeldFor);
        // A node that crashed and came back may have acknowledged a revocation in its earlier life and
        // forgotten it, while that write has yet to land. Every such write ends within a revocation's
        // ttl of its revoke, so until then a lease counts only from a peer with no write in flight.
        _notBefore = time.Now() + time.SpanRoundedUp(timing.RevocationTtl);
    }

    /// <summary>
    /// <paramref name="peer"/> granted a lease asked for at <paramref name="requestedAt"/> (this node's
    /// clock). The grant cannot predate the request, so the lease runs from the request.
    /// </summary>
    /// <param name="peerWritesInFlight">Whether the peer said it has a write in flight that revoked this node.</param>
    public void Granted(string peer, Timestamp requestedAt, bool peerWritesInFlight = false)
    {
        Timestamp servingUntil;
        lock (_gate)
        {
            if ((peerWritesInFlight && requestedAt < _notBefore) || !_expiries.TryGetValue(peer, out var current))
            {
                return;
            }

            // Replies can arrive out of order: an older grant never shortens a newer one.
            _expiries[peer] = Timestamp.Max(current, requestedAt + _heldFor);
            servingUntil = _expiries.Values.Min();
        }

        _cache.ExtendServingLease(servingUntil);
    }

    /// <summary>How long this node has held leases for (its age, as far as its peers need to know).</summary>
    public TimeSpan Uptime => _time.TimeSince(_startedAt);

    /// <summary>When the earliest lease runs out (<see cref="Timestamp.LongAgo"/> if some peer never granted one).</summary>
    public Timestamp ServingUntil
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count == 0 ? Timestamp.Never : _expiries.Values.Min();
            }
        }
    }
}
