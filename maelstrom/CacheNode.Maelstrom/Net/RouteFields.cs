namespace CacheNode.Maelstrom.Net;

/// <summary>What the network reads from a message to route it and to account for it.</summary>
internal readonly record struct RouteFields(string Src, string Dest, string Type, long? MsgId, long? InReplyTo);
