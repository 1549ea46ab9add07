namespace CacheNode.Protocol;

/// <summary>
/// The envelope and header of one received message. The body stays raw UTF-8 until the handler
/// that owns its type binds it; <see cref="Body"/> is only valid while the line is being dispatched.
/// </summary>
internal readonly ref struct IncomingMessage
{
    public IncomingMessage(MessageHeader header, ReadOnlySpan<byte> body)
    {
        Header = header;
        Body = body;
    }

    public MessageHeader Header { get; }

    public ReadOnlySpan<byte> Body { get; }
}
