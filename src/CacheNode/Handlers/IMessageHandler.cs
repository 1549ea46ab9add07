using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>Handles one message type: binds the raw body, then produces the reply body.</summary>
internal interface IMessageHandler
{
    /// <summary>The <c>body.type</c> this handler owns.</summary>
    string Type { get; }

    /// <summary>Whether the node must have received <c>init</c> first (error 11 otherwise).</summary>
    bool RequiresInit { get; }

    /// <summary>
    /// Binds <paramref name="body"/> synchronously (it is only valid during this call) and starts the
    /// operation. Throws <see cref="NodeErrorException"/> for error replies.
    /// </summary>
    ValueTask<OutgoingBody> StartAsync(MessageHeader header, ReadOnlySpan<byte> body, CancellationToken cancellationToken);
}
