using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>A key revoked on every peer for one write: which peers were waited out instead of acknowledging.</summary>
/// <param name="SendBy">
/// The latest moment the database write may still be sent: after it, a peer's revocation
/// could expire before the write lands. Only a stalled writer (a pause, a long GC) gets near it.
/// </param>
internal sealed record Revocation(long Id, IReadOnlyList<string> Blocked, Timestamp SendBy)
{
    /// <summary>The revocation of a node with no peers: nothing to release, no deadline.</summary>
    public static readonly Revocation None = new(0, [], Timestamp.Never);
}
