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
    /// Whether the node still answers it while draining for shutdown (others get error 11): peers'
    /// replication messages, which a draining node's own flushes depend on.
    /// </summary>
    bool ServedWhileStopping { get; }

    /// <summary>
    /// The error to answer with if the operation outlasts <c>request_timeout_ms</c> (it goes on in the
    /// background); null for operations that may take as long as they need.
    /// </summary>
    ErrorCode? DeadlineError { get; }

    /// <summary>
    /// Binds <paramref name="body"/> synchronously (it is only valid during this call) and starts the
    /// operation. Throws <see cref="NodeErrorException"/> for error replies.
    /// </summary>
    ValueTask<OutgoingBody> StartAsync(MessageHeader header, ReadOnlySpan<byte> body, CancellationToken cancellationToken);

    /// <summary>Runs once the reply has been queued for output (so it goes out before anything this starts).</summary>
    void OnReplied();
}
