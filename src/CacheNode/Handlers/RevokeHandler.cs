using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>
/// <c>revoke</c> (from a key's home, about to write it; or with <c>all</c>, from a home that just
/// started): drops the keys, so that no fill already on its way installs them either, then acknowledges.
/// </summary>
internal sealed class RevokeHandler(NodeContext context)
    : MessageHandler<RevokeRequest>("revoke", ProtocolJsonContext.Default.RevokeRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, RevokeRequest request, CancellationToken cancellationToken)
    {
        var (runtime, coherence) = PeerMessages.RequireCoherence(context, header);
        if (request.All)
        {
            runtime.Cache.InvalidateWhere(key => coherence.Ownership.OwnerOf(key) == header.Src);
        }

        foreach (var key in request.Keys)
        {
            runtime.Cache.Invalidate(key);
            context.Stats.InvalidationReceived();
        }

        return ValueTask.FromResult<OutgoingBody>(new RevokeOk());
    }
}
