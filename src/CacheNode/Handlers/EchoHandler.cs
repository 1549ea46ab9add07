using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>echo</c>: answers with the same value (Maelstrom's hello-world workload).</summary>
internal sealed class EchoHandler()
    : MessageHandler<EchoRequest>("echo", ProtocolJsonContext.Default.EchoRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, EchoRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<OutgoingBody>(new EchoOk(request.Echo));
}
