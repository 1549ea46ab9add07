using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>init</c>: builds the runtime once; a second <c>init</c> is acknowledged and changes nothing.</summary>
internal sealed class InitHandler(NodeContext context)
    : MessageHandler<InitRequest>("init", ProtocolJsonContext.Default.InitRequest)
{
    public override bool RequiresInit => false;

    // Lease renewals start only now: init_ok is the node's first message, and its own id is known.
    public override void OnReplied() => context.Runtime?.StartBackgroundWork();

    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, InitRequest request, CancellationToken cancellationToken)
    {
        if (context.Runtime is { } existing)
        {
            if (existing.NodeId != request.NodeId)
            {
                context.Log.Warn($"ignoring a second init naming this node {request.NodeId}; it stays {existing.NodeId}");
            }

            return ValueTask.FromResult<OutgoingBody>(new InitOk());
        }

        if (string.IsNullOrEmpty(request.NodeId) || request.NodeIds.Length == 0 || !request.NodeIds.Contains(request.NodeId))
        {
            throw NodeErrorException.Malformed("malformed init: node_ids must be a non-empty list that includes node_id");
        }

        var runtime = NodeRuntimeFactory.Create(context, request.NodeId, request.NodeIds);
        if (!context.TryInitialize(runtime))
        {
            // Two inits raced: the first one won and this runtime is never used.
            _ = runtime.DisposeAsync().AsTask();
        }

        return ValueTask.FromResult<OutgoingBody>(new InitOk());
    }
}
