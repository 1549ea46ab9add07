using CacheNode.Cache;

namespace CacheNode.Cluster;

/// <summary>
/// The leases this node holds, one per peer. The cache serves only while it holds all of them: a peer
/// that cannot reach this node stops renewing, and before that peer lets a write reach the database
/// the lease has run out here, so the old value is no longer served.
/// </summary>
internal sealed class HeldLeases
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _expiries;
    private readonly CacheStore _cache;
    private readonly long _heldForTicks;
    private readonly long _notBefore;

    private readonly TimeProvider _time;
    private readonly long _startedAt;

    public HeldLeases(IEnumerable<string> peers, LeaseTiming timing, CacheStore cache, TimeProvider time)
    {
        _time = time;
        _startedAt = time.GetTimestamp();
        _expiries = peers.ToDictionary(peer => peer, _ => 0L, StringComparer.Ordinal);
        _cache = cache;
        _heldForTicks = (long)(timing.HeldFor.TotalSeconds * time.TimestampFrequency);
        // A node that crashed and came back may have acknowledged a revocation in its earlier life and
        // forgotten it, while that write has yet to land. Every such write ends within a revocation's
        // ttl of its revoke, so until then a lease counts only from a peer with no write in flight.
        _notBefore = time.GetTimestamp() + (long)Math.Ceiling(timing.RevocationTtl.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>
    /// <paramref name="peer"/> granted a lease asked for at <paramref name="requestedAt"/> (this node's
    /// clock). The grant cannot predate the request, so the lease runs from the request.
    /// </summary>
    /// <param name="peerWritesInFlight">Whether the peer said it has a write in flight that revoked this node.</param>
    public void Granted(string peer, long requestedAt, bool peerWritesInFlight = false)
    {
        long servingUntil;
        lock (_gate)
        {
            if ((peerWritesInFlight && requestedAt < _notBefore) || !_expiries.TryGetValue(peer, out var current))
            {
                return;
            }

            // Replies can arrive out of order: an older grant never shortens a newer one.
            _expiries[peer] = Math.Max(current, requestedAt + _heldForTicks);
            servingUntil = _expiries.Values.Min();
        }

        _cache.ExtendServingLease(servingUntil);
    }

    /// <summary>How long this node has held leases for (its age, as far as its peers need to know).</summary>
    public TimeSpan Uptime => _time.GetElapsedTime(_startedAt);

    /// <summary>When the earliest lease runs out (a <see cref="TimeProvider"/> timestamp; 0 if some peer never granted one).</summary>
    public long ServingUntil
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count == 0 ? long.MaxValue : _expiries.Values.Min();
            }
        }
    }
}
