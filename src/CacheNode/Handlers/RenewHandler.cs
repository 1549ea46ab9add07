using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Runtime;

namespace CacheNode.Handlers;

/// <summary>
/// <c>renew</c> (from a peer holding copies of this node's keys): extends its volume lease, with the keys
/// it must drop first; prunes the drops it acknowledges.
/// </summary>
internal sealed class RenewHandler(NodeContext context)
    : MessageHandler<RenewRequest>("renew", ProtocolJsonContext.Default.RenewRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, RenewRequest request, CancellationToken cancellationToken)
    {
        var (_, coherence) = PeerMessages.RequireCoherence(context, header);
        return ValueTask.FromResult<OutgoingBody>(PeerMessages.GrantVolume(coherence, header.Src, request.Run, request.Acked, new RenewOk()));
    }
}
