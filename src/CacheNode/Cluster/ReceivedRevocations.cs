using CacheNode.Cache;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

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
    private readonly CacheStore _cache;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;

    public ReceivedRevocations(CacheStore cache, TimeProvider time, NodeStats stats)
    {
        _cache = cache;
        _time = time;
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
        var expiresAt = _time.GetTimestamp() + (long)(ttl.TotalSeconds * _time.TimestampFrequency);
        lock (_gate)
        {
            // A repeated revoke (the writer's retry) is already held.
            if (!_held.ContainsKey((writer, id)))
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
                // Expired already, or never got here: nothing to end.
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
        var now = _time.GetTimestamp();
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
        }

        foreach (var held in expired ?? [])
        {
            _cache.EndWrite(held.Ticket, WriteCompletion.Invalidate);
        }

        return expired?.Count ?? 0;
    }

    private sealed record Held(WriteTicket Ticket, long ExpiresAt);
}
