using CacheNode.Cluster;
using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.WriteBehind;

namespace CacheNode.Handlers;

/// <summary>What the handlers of node-to-node messages share.</summary>
internal static class PeerMessages
{
    /// <summary>
    /// The node's runtime and its coherence machinery, for a message that really comes from a peer of a
    /// node that runs it.
    /// </summary>
    public static (NodeRuntime Runtime, ClusterCoherence Coherence) RequireCoherence(NodeContext context, MessageHeader header)
    {
        var runtime = RequirePeer(context, header);
        var coherence = runtime.Coherence
            ?? throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type}: this node runs {runtime.Strategy.Name} without cross-node invalidation");
        return (runtime, coherence);
    }

    /// <summary>Write-behind replication, for a message that really comes from a peer of a node that runs it.</summary>
    public static ClusterReplication RequireReplication(NodeContext context, MessageHeader header)
    {
        var runtime = RequirePeer(context, header);
        return runtime.Replication
            ?? throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type}: this node runs {runtime.Strategy.Name}, which keeps no backup copies");
    }

    /// <summary>
    /// For a write or cas a peer forwarded to this node as the key's write-behind owner: the owner, and the
    /// answer its backup sends that peer once it holds the copy (a hop before this node's own reply could
    /// arrive). Null for anything else: a client's request, no backups, or no <c>msg_id</c> to answer.
    /// </summary>
    public static (WriteBehindStrategy Owner, ForwarderAnswer Answer)? ChainedWrite(NodeRuntime runtime, MessageHeader header, string replyType) =>
        runtime.Replication is not null
        && runtime.LocalStrategy is WriteBehindStrategy owner
        && header.MsgId is { } msgId
        && runtime.Membership.IsPeer(header.Src)
            ? (owner, new ForwarderAnswer(header.Src, msgId, replyType))
            : null;

    /// <summary>
    /// Extends <paramref name="peer"/>'s volume lease and composes what goes with it; the drops it
    /// acknowledged end their holder records (unless a newer grant of the key was recorded since).
    /// </summary>
    public static TReply GrantVolume<TReply>(ClusterCoherence coherence, string peer, long ackedRun, long ackedSeq, TReply reply)
        where TReply : VolumeGrantReply
    {
        var (grant, pruned) = coherence.Ledger.Grant(peer, ackedRun, ackedSeq);
        foreach (var entry in pruned)
        {
            coherence.Holders.Revoked(entry.Key, new Holder(peer, entry.KeyLeaseUntil));
        }

        return (TReply)(reply with
        {
            Run = grant.Run,
            Drops = [.. grant.Drops.Select(d => new DropMessage(d.Seq, d.Key))],
            Seq = grant.LastSeq,
            VolumeMs = (long)grant.Length.TotalMilliseconds,
        });
    }

    private static NodeRuntime RequirePeer(NodeContext context, MessageHeader header)
    {
        var runtime = context.RequireRuntime();
        return runtime.Membership.IsPeer(header.Src)
            ? runtime
            : throw new NodeErrorException(ErrorCode.NotSupported, $"{header.Type} is a message between cluster nodes, and {header.Src} is not one");
    }
}
