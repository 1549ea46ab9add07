using CacheNode.Protocol;

namespace CacheNode.Cluster;

/// <summary>A key revoked on every peer for one write: which peers acknowledged, and which were waited out instead.</summary>
internal sealed record Revocation(long Id, RawJson Key, IReadOnlyList<string> Blocked)
{
    /// <summary>The revocation of a node with no peers: nothing to release.</summary>
    public static Revocation None(RawJson key) => new(0, key, []);
}
