using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>read</c>: the value through the strategy, or error 20.</summary>
internal sealed class ReadHandler(NodeContext context)
    : MessageHandler<ReadRequest>("read", ProtocolJsonContext.Default.ReadRequest)
{
    // A read changes nothing, so giving up on it is definite.
    public override ErrorCode? DeadlineError => ErrorCode.TemporarilyUnavailable;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, ReadRequest request, CancellationToken cancellationToken)
    {
        var key = KeyValueLimits.Key(context.Options.MaxValueBytes, request.Key);
        var result = await context.RequireRuntime().Strategy.ReadAsync(key, cancellationToken);
        return result.Found
            ? new ReadOk(result.Value)
            : throw new NodeErrorException(ErrorCode.KeyDoesNotExist, "key does not exist");
    }
}
