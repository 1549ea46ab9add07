using CacheNode.Protocol;

namespace CacheNode.Cluster;

/// <summary>
/// Which node owns a key: rendezvous (highest-random-weight) hashing over <c>node_ids</c>. Every node
/// computes the same ranking from the key and the ids alone, whatever order <c>init</c> listed them in,
/// and removing a node would move only the keys it owned. The owner is first; the next in the ranking is
/// the natural backup.
/// </summary>
internal sealed class KeyOwnership
{
    private readonly string[] _nodes;
    private readonly ulong[] _nodeSeeds;

    public KeyOwnership(IReadOnlyList<string> nodeIds)
    {
        _nodes = nodeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _nodeSeeds = _nodes.Select(id => Fnv1a(id, FnvOffset)).ToArray();
    }

    public string OwnerOf(RawJson key)
    {
        var keyHash = Fnv1a(key.Text, FnvOffset);
        var best = 0;
        var bestScore = 0UL;
        for (var i = 0; i < _nodes.Length; i++)
        {
            var score = Mix(keyHash ^ _nodeSeeds[i]);
            if (i == 0 || score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return _nodes[best];
    }

    /// <summary>All nodes, best first, for <paramref name="key"/>.</summary>
    public IReadOnlyList<string> Rank(RawJson key)
    {
        var keyHash = Fnv1a(key.Text, FnvOffset);
        return _nodes.Select((id, i) => (id, score: Mix(keyHash ^ _nodeSeeds[i])))
            .OrderByDescending(pair => pair.score)
            .Select(pair => pair.id)
            .ToArray();
    }

    private const ulong FnvOffset = 14695981039346656037UL;

    // FNV-1a over the UTF-16 code units, low byte first: stable across processes and runtimes
    // (string.GetHashCode is randomized per process), and no allocation on the request path.
    private static ulong Fnv1a(ReadOnlySpan<char> text, ulong hash)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }

        return hash;
    }

    // SplitMix64's finalizer: FNV alone spreads similar keys ("1", "2", ...) poorly.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
