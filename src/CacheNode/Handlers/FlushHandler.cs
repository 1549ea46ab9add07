using CacheNode.Hosting;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>flush</c>: returns once every write this node acked is in the database.</summary>
internal sealed class FlushHandler(NodeContext context)
    : MessageHandler<FlushRequest>("flush", ProtocolJsonContext.Default.FlushRequest)
{
    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, FlushRequest request, CancellationToken cancellationToken)
    {
        await context.RequireRuntime().Strategy.FlushAsync(cancellationToken);
        return new FlushOk();
    }
}
