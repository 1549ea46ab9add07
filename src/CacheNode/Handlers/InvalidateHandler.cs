using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>invalidate</c>: drops the key's cached copy (not the database's value).</summary>
internal sealed class InvalidateHandler(NodeContext context)
    : MessageHandler<InvalidateRequest>("invalidate", ProtocolJsonContext.Default.InvalidateRequest)
{
    // It may still happen after the node has given up waiting for it.
    public override ErrorCode? DeadlineError => ErrorCode.Timeout;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, InvalidateRequest request, CancellationToken cancellationToken)
    {
        var key = KeyValueLimits.Key(context.Options.MaxValueBytes, request.Key);
        await context.RequireRuntime().Strategy.InvalidateAsync(key, cancellationToken);
        return new InvalidateOk();
    }
}
