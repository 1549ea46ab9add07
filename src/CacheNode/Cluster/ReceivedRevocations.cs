using CacheNode.Cache;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Revocations this node has acknowledged: each holds the key as a write in progress in the cache (no
/// entry, no fill installs) until the writer releases it or its ttl runs out. A release with a value
/// (write-through) installs it if nothing else touched the key meanwhile.
/// </summary>
internal sealed class ReceivedRevocations
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Writer, long Id), Held> _held = [];
    // Releases that found nothing to release: the revoke may still be on its way (messages overtake
    // each other), and must not then hold the key for its whole ttl.
    private readonly Dictionary<(string Writer, long Id), Timestamp> _releasedEarly = [];
    private readonly CacheStore _cache;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;

    private readonly TickSpan _tombstoneLifetime;

    /// <param name="tombstoneLifetime">How long a release that came before its revoke is remembered.</param>
    public ReceivedRevocations(CacheStore cache, TimeProvider time, NodeStats stats, TimeSpan tombstoneLifetime = default)
    {
        _cache = cache;
        _time = time;
        _tombstoneLifetime = time.SpanRoundedDown(tombstoneLifetime > TimeSpan.Zero ? tombstoneLifetime : TimeSpan.FromSeconds(10));
        _stats = stats;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    public void Revoke(string writer, long id, RawJson key, TimeSpan ttl)
    {
        var expiresAt = _time.Now() + _time.SpanRoundedDown(ttl);
        lock (_gate)
        {
            // A repeated revoke is already held; one whose release came first is over already.
            if (!_held.ContainsKey((writer, id)) && !_releasedEarly.Remove((writer, id)))
            {
                _held.Add((writer, id), new Held(_cache.BeginWrite(key), expiresAt));
                _stats.InvalidationReceived();
            }
        }
    }

    public void Release(string writer, long id, RawJson value, bool unchanged = false)
    {
        Held? held;
        lock (_gate)
        {
            if (!_held.Remove((writer, id), out held))
            {
                // Expired already, or the revoke has yet to arrive: remember the release for as long
                // as the revoke could still come.
                _releasedEarly[(writer, id)] = _time.Now() + _tombstoneLifetime;
                return;
            }
        }

        var completion = unchanged ? WriteCompletion.Unchanged
            : value.IsAbsent ? WriteCompletion.Invalidate
            : WriteCompletion.Install;
        _cache.EndWrite(held.Ticket, completion, value);
    }

    /// <summary>Ends revocations whose writer never released them (it crashed, or the release was lost).</summary>
    public int ExpireOld()
    {
        var now = _time.Now();
        List<Held>? expired = null;
        lock (_gate)
        {
            foreach (var (id, held) in _held)
            {
                if (now >= held.ExpiresAt)
                {
                    (expired ??= []).Add(held);
                    _held.Remove(id);
                }
            }

            foreach (var (id, until) in _releasedEarly)
            {
                if (now >= until)
                {
                    _releasedEarly.Remove(id);
                }
            }
        }

        foreach (var held in expired ?? [])
        {
            _cache.EndWrite(held.Ticket, WriteCompletion.Invalidate);
        }

        return expired?.Count ?? 0;
    }

    private sealed record Held(WriteTicket Ticket, Timestamp ExpiresAt);
}
