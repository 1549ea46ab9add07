namespace CacheNode.Cache;

/// <summary>
/// The SIEVE eviction policy (Zhang et al., NSDI '24): a FIFO queue plus a visited bit and a hand that
/// sweeps from oldest to newest. Hot keys keep getting their bit set and survive; one-hit wonders, and
/// scans of cold keys, are evicted first. Lower miss ratios than LRU on skewed workloads, and a hit costs
/// one store. Not thread-safe: <see cref="CacheStore"/> calls it under its lock.
/// </summary>
internal sealed class SieveQueue
{
    private CacheEntry? _newest;
    private CacheEntry? _oldest;
    private CacheEntry? _hand;

    public int Count { get; private set; }

    public void Add(CacheEntry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = entry;
        }

        _newest = entry;
        _oldest ??= entry;
        Count++;
    }

    public void Remove(CacheEntry entry)
    {
        if (_hand == entry)
        {
            _hand = entry.Newer;
        }

        if (entry.Older is not null)
        {
            entry.Older.Newer = entry.Newer;
        }
        else
        {
            _oldest = entry.Newer;
        }

        if (entry.Newer is not null)
        {
            entry.Newer.Older = entry.Older;
        }
        else
        {
            _newest = entry.Older;
        }

        entry.Newer = null;
        entry.Older = null;
        Count--;
    }

    /// <summary>Picks the entry to evict (and leaves removing it to the caller); null when empty.</summary>
    public CacheEntry? SelectVictim()
    {
        var candidate = _hand ?? _oldest;
        while (candidate is not null)
        {
            if (!candidate.Visited)
            {
                _hand = candidate.Newer;
                return candidate;
            }

            candidate.Visited = false;
            candidate = candidate.Newer ?? _oldest;
        }

        return null;
    }
}
