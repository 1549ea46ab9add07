using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>write</c>: stores the value as the strategy says, then acks.</summary>
internal sealed class WriteHandler(NodeContext context)
    : MessageHandler<WriteRequest>("write", ProtocolJsonContext.Default.WriteRequest)
{
    // It may still happen after the node has given up waiting for it.
    public override ErrorCode? DeadlineError => ErrorCode.Timeout;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, WriteRequest request, CancellationToken cancellationToken)
    {
        var key = KeyValueLimits.Key(context.Options.MaxValueBytes, request.Key);
        KeyValueLimits.Check(context.Options.MaxValueBytes, "value", request.Value);
        var runtime = context.RequireRuntime();
        if (PeerMessages.ChainedWrite(runtime, header, "write_ok") is var (owner, answer))
        {
            // Forwarded to this node as the key's owner: its backup acks it to the peer as soon as it holds
            // the copy; this reply follows, and the peer takes whichever comes first.
            await owner.WriteAsync(key, request.Value, answer, cancellationToken);
        }
        else
        {
            await runtime.Strategy.WriteAsync(key, request.Value, cancellationToken);
        }

        return new WriteOk();
    }
}
