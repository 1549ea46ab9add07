using CacheNode.Cluster;
using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.WriteBehind;

namespace CacheNode.Handlers;

/// <summary>What the handlers of node-to-node messages share.</summary>
internal static class PeerMessages
{
    /// <summary>The coherence machinery, for a message that really comes from a peer of a node that runs it.</summary>
    public static ClusterCoherence RequireCoherence(NodeContext context, MessageHeader header)
    {
        var runtime = context.RequireRuntime();
        if (!runtime.Membership.IsPeer(header.Src))
        {
            throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type} is a message between cluster nodes, and {header.Src} is not one");
        }

        return runtime.Coherence
            ?? throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type}: this node runs {runtime.Strategy.Name} without cross-node invalidation");
    }

    /// <summary>Write-behind replication, for a message that really comes from a peer of a node that runs it.</summary>
    public static ClusterReplication RequireReplication(NodeContext context, MessageHeader header)
    {
        var runtime = context.RequireRuntime();
        if (!runtime.Membership.IsPeer(header.Src))
        {
            throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type} is a message between cluster nodes, and {header.Src} is not one");
        }

        return runtime.Replication
            ?? throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type}: this node runs {runtime.Strategy.Name}, which keeps no backup copies");
    }
}
