using CacheNode.Database;
using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>cas</c>: compare-and-set against the current value; errors 20 and 22.</summary>
internal sealed class CasHandler(NodeContext context)
    : MessageHandler<CasRequest>("cas", ProtocolJsonContext.Default.CasRequest)
{
    // It may still happen after the node has given up waiting for it.
    public override ErrorCode? DeadlineError => ErrorCode.Timeout;

    protected override async ValueTask<OutgoingBody> HandleAsync(MessageHeader header, CasRequest request, CancellationToken cancellationToken)
    {
        var limit = context.Options.MaxValueBytes;
        var key = KeyValueLimits.Key(limit, request.Key);
        KeyValueLimits.Check(limit, "from", request.From);
        KeyValueLimits.Check(limit, "to", request.To);
        var runtime = context.RequireRuntime();
        // Forwarded to this node as the key's write-behind owner: its backup acks a successful cas to the
        // peer as soon as it holds the copy (see WriteHandler).
        var result = PeerMessages.ChainedWrite(runtime, header, "cas_ok") is var (owner, answer)
            ? await owner.CasAsync(key, request.From, request.To, request.CreateIfNotExists, answer, cancellationToken)
            : await runtime.Strategy.CasAsync(key, request.From, request.To, request.CreateIfNotExists, cancellationToken);
        return result switch
        {
            CasResult.Ok => new CasOk(),
            CasResult.KeyMissing => throw new NodeErrorException(ErrorCode.KeyDoesNotExist, "key does not exist"),
            _ => throw new NodeErrorException(ErrorCode.PreconditionFailed, $"expected {request.From}, but the value differs"),
        };
    }
}
