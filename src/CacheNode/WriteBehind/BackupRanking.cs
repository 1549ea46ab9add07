using CacheNode.Cluster;
using CacheNode.Protocol;

namespace CacheNode.WriteBehind;

/// <summary>Which node backs up each key: the next one in the key's ranking, after its owner.</summary>
internal sealed class BackupRanking
{
    private readonly KeyOwnership _ownership;
    private readonly string _self;

    public BackupRanking(ClusterMembership membership)
    {
        _ownership = new KeyOwnership(membership.NodeIds);
        _self = membership.NodeId;
    }

    public string BackupOf(RawJson key) => _ownership.Rank(key)[1];

    /// <summary>Whether this node owns the key and <paramref name="peer"/> backs it up.</summary>
    public bool IsBackedUpBy(RawJson key, string peer)
    {
        var ranking = _ownership.Rank(key);
        return ranking[0] == _self && ranking[1] == peer;
    }
}
