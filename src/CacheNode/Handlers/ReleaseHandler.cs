using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>release</c> (one-way, from a peer whose write finished): ends its revocations; never answered.</summary>
internal sealed class ReleaseHandler(NodeContext context)
    : MessageHandler<ReleaseRequest>("release", ProtocolJsonContext.Default.ReleaseRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, ReleaseRequest request, CancellationToken cancellationToken)
    {
        if (context.Runtime?.Coherence is { } coherence && context.Runtime.Membership.IsPeer(header.Src))
        {
            PeerMessages.ApplyReleases(coherence, header.Src, request.Release);
        }

        return ValueTask.FromResult<OutgoingBody>(NoReply.Instance);
    }
}
