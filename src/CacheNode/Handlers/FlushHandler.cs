using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>flush</c>: returns once every write this node acked is in the database.</summary>
internal sealed class FlushHandler(NodeContext context)
    : MessageHandler<FlushRequest>("flush", ProtocolJsonContext.Default.FlushRequest)
{
    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, FlushRequest request, CancellationToken cancellationToken)
    {
        var runtime = context.RequireRuntime();
        // A peer asks only for what this node holds; a client asks for the whole cluster's share.
        var strategy = runtime.Membership.IsPeer(header.Src) ? runtime.LocalStrategy : runtime.Strategy;
        await strategy.FlushAsync(cancellationToken);
        return new FlushOk();
    }
}
