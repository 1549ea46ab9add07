using CacheNode.Cache;
using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>
/// <c>fill</c> (from a peer that missed a key this node is home to): the value through this node's own
/// single-flight read, so a cluster-wide stampede costs one database read, and a key lease if it is safe
/// to grant one.
/// </summary>
/// <remarks>
/// The peer is recorded as a holder before the value is read, so any write that begins afterwards
/// revokes it. A lease goes with the value only if the value was read while no write of the key was in
/// progress and none began meanwhile (a write already in progress may have looked for holders before
/// this one was recorded), and not during the fence after this node started.
/// </remarks>
internal sealed class FillHandler(NodeContext context)
    : MessageHandler<FillRequest>("fill", ProtocolJsonContext.Default.FillRequest)
{
    // A read changes nothing, so giving up on it is definite.
    public override ErrorCode? DeadlineError => ErrorCode.TemporarilyUnavailable;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, FillRequest request, CancellationToken cancellationToken)
    {
        var (runtime, coherence) = PeerMessages.RequireCoherence(context, header);
        var key = KeyValueLimits.Key(context.Options.MaxValueBytes, request.Key);
        var mayGrant = coherence.Holders.MayGrant && coherence.Ownership.OwnerOf(key) == runtime.NodeId;
        if (mayGrant)
        {
            coherence.Holders.Record(key, header.Src);
        }

        var (result, clean) = await runtime.Reader.ReadTrackedAsync(key, ReadOrigin.PeerFill, cancellationToken);
        // Composed after the read: any write that began meanwhile has appended its drop, which goes with it.
        var reply = new FillOk
        {
            Value = result.Found ? result.Value : default,
            Lease = mayGrant && clean,
            LeaseMs = mayGrant && clean ? (long)coherence.KeyLease.TotalMilliseconds : 0,
        };
        return PeerMessages.GrantVolume(coherence, header.Src, request.Run, request.Acked, reply);
    }
}
