using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>
/// <c>recover</c> (from an owner that restarted, or that this node flushed for): hands back the copies held
/// for it. A restarted peer has also lost the copies it held for this node, so they are sent again.
/// </summary>
internal sealed class RecoverHandler(NodeContext context)
    : MessageHandler<RecoverRequest>("recover", ProtocolJsonContext.Default.RecoverRequest)
{
    // Custody and recovery must go on while this node drains: its peers' flushes (and its own) need them.
    public override bool ServedWhileStopping => true;

    // Before init this handler answers itself, with a code the owner acts on (see below).
    public override bool RequiresInit => false;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, RecoverRequest request, CancellationToken cancellationToken)
    {
        if (context.Runtime is null)
        {
            // A node that has not been initialized has just started: it holds nothing of the owner's,
            // which may count itself recovered from it.
            throw NodeErrorException.PeerNotInitialized();
        }

        var replication = PeerMessages.RequireReplication(context, header);
        replication.Owner.PeerRestarted(header.Src, request.Incarnation);
        return await replication.Shelves.RecoverAsync(header.Src, request, cancellationToken);
    }
}
