using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>lease_request</c> (from a peer): grants a lease unless one of this node's writes is waiting for that peer's lease to run out.</summary>
internal sealed class LeaseRequestHandler(NodeContext context)
    : MessageHandler<LeaseRequest>("lease_request", ProtocolJsonContext.Default.LeaseRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, LeaseRequest request, CancellationToken cancellationToken)
    {
        var coherence = PeerMessages.RequireCoherence(context, header);
        return coherence.Grants.TryGrant(header.Src)
            ? ValueTask.FromResult<OutgoingBody>(new LeaseOk { WritesInFlight = coherence.Invalidator.HasWritesInFlightOlderThan(TimeSpan.FromMilliseconds(Math.Max(0, request.UptimeMs))) })
            : throw NodeErrorException.Unavailable("no lease: a write is waiting for your last one to run out");
    }
}
