namespace CacheNode.Cluster;

/// <summary>Who this node is and who its peers are, as <c>init</c> said; fixed for the node's life.</summary>
internal sealed class ClusterMembership
{
    public ClusterMembership(string nodeId, IReadOnlyList<string> nodeIds)
    {
        NodeId = nodeId;
        NodeIds = nodeIds;
        Peers = nodeIds.Where(id => id != nodeId).Distinct(StringComparer.Ordinal).ToArray();
    }

    public string NodeId { get; }

    public IReadOnlyList<string> NodeIds { get; }

    /// <summary>Every other node.</summary>
    public IReadOnlyList<string> Peers { get; }

    public bool IsPeer(string id) => id != NodeId && NodeIds.Contains(id, StringComparer.Ordinal);
}
