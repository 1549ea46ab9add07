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
        await context.RequireRuntime().Strategy.WriteAsync(key, request.Value, cancellationToken);
        return new WriteOk();
    }
}
