using CacheNode.Cluster;
using CacheNode.Protocol;

namespace CacheNode.WriteBehind;

/// <summary>
/// Which node backs up each key: its owner's successor among the node ids in ordinal order (the last
/// node's is the first). One backup per owner, not one per key, so an owner keeps custody with one peer
/// and its heartbeats stay the same in a cluster of any size.
/// </summary>
internal sealed class BackupRanking
{
    private readonly KeyOwnership _ownership;
    private readonly string _self;

    public BackupRanking(ClusterMembership membership)
    {
        _ownership = new KeyOwnership(membership.NodeIds);
        _self = membership.NodeId;
        Backup = SuccessorOf(_self, membership.NodeIds);
    }

    /// <summary>The peer that backs up every key this node owns.</summary>
    public string Backup { get; }

    /// <summary>The node after <paramref name="node"/> in ordinal order of <paramref name="nodeIds"/>, wrapping round.</summary>
    public static string SuccessorOf(string node, IEnumerable<string> nodeIds)
    {
        var ordered = nodeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = ordered.IndexOf(node);
        return index < 0 ? throw new ArgumentException($"{node} is not among the node ids", nameof(node)) : ordered[(index + 1) % ordered.Count];
    }

    /// <summary>Whether this node owns the key and <paramref name="peer"/> backs it up.</summary>
    public bool IsBackedUpBy(RawJson key, string peer) =>
        peer == Backup && _ownership.OwnerOf(key) == _self;
}
