using CacheNode.Protocol;

namespace CacheNode.WriteBehind;

/// <summary>
/// Keys whose newest value the owner staged without hearing that its backup holds it: a write whose copy
/// carried an answer for the forwarding node, and whose tries all failed after one may have landed. The
/// backup may have acked it (so the value must not be hidden) or never got it (so it must not be shown,
/// as it could die with this node): reads and cas of such a key fail (error 11) until a copy of that
/// version, or a newer one, is confirmed (or the backup flushed it itself). The owner does not flush a
/// marked key either: its own flush would not make the value safe while the backup holds an older copy.
/// </summary>
internal sealed class UnconfirmedCopies
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, long> _versions = [];

    /// <summary>Whether the key has a staged version no backup has confirmed.</summary>
    public bool Contains(RawJson key)
    {
        lock (_gate)
        {
            return _versions.ContainsKey(key);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _versions.Count;
            }
        }
    }

    /// <summary><paramref name="version"/> of the key is staged, but not known to be on the backup.</summary>
    public void Add(RawJson key, long version)
    {
        lock (_gate)
        {
            _versions[key] = _versions.TryGetValue(key, out var known) ? Math.Max(known, version) : version;
        }
    }

    /// <summary>The backup holds <paramref name="version"/> of the key (or flushed it itself): every version up to it is safe.</summary>
    public void Confirm(RawJson key, long version)
    {
        lock (_gate)
        {
            if (_versions.TryGetValue(key, out var known) && known <= version)
            {
                _versions.Remove(key);
            }
        }
    }
}
