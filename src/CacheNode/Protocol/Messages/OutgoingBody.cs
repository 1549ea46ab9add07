using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary>
/// The body of a message the node writes. Property order on the wire is the contract's:
/// <c>type</c>, the type's own fields, <c>in_reply_to</c>, then <c>msg_id</c>.
/// </summary>
/// <remarks>
/// <c>in_reply_to</c> and <c>msg_id</c> are not part of the body object: <see cref="MessageWriter"/> appends
/// them as it writes the message, under the lock that hands out ids, so ids appear on stdout in counter
/// order and a body can be sent more than once.
/// </remarks>
internal abstract record OutgoingBody
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1000)]
    public string Type => MessageType;

    /// <summary>The wire name of this body's type; not public, so the serializer sees only <see cref="Type"/>.</summary>
    protected abstract string MessageType { get; }
}
