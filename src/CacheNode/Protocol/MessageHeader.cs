namespace CacheNode.Protocol;

/// <summary>What the node needs to route and answer a message: the envelope plus the body's header fields.</summary>
internal sealed record MessageHeader(string Src, string Dest, string Type, long? MsgId, long? InReplyTo);
