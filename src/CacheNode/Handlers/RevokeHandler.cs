using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>revoke</c> (from a peer about to write): drops and holds the keys, applies piggybacked releases, then acknowledges.</summary>
internal sealed class RevokeHandler(NodeContext context)
    : MessageHandler<RevokeRequest>("revoke", ProtocolJsonContext.Default.RevokeRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, RevokeRequest request, CancellationToken cancellationToken)
    {
        var coherence = PeerMessages.RequireCoherence(context, header);
        // Releases first: they were queued before these revocations, possibly for the same keys.
        PeerMessages.ApplyReleases(coherence, header.Src, request.Release);
        var ttl = TimeSpan.FromMilliseconds(Math.Clamp(request.TtlMs, 0, 86_400_000));
        foreach (var revoked in request.Keys)
        {
            coherence.Revocations.Revoke(header.Src, revoked.Id, revoked.Key, ttl);
        }

        return ValueTask.FromResult<OutgoingBody>(new RevokeOk());
    }
}
