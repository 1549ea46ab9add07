using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary>
/// The body of a message the node writes. Property order on the wire is the contract's:
/// <c>type</c>, the type's own fields, <c>in_reply_to</c>, then <c>msg_id</c>.
/// </summary>
/// <remarks>
/// <see cref="InReplyTo"/> and <see cref="MsgId"/> are stamped by <see cref="MessageWriter"/> under its
/// lock, just before serialization, so message ids appear on stdout in counter order.
/// </remarks>
internal abstract record OutgoingBody
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1000)]
    public string Type => MessageType;

    [JsonPropertyName("in_reply_to")]
    [JsonPropertyOrder(1000)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InReplyTo { get; set; }

    [JsonPropertyName("msg_id")]
    [JsonPropertyOrder(1001)]
    public long MsgId { get; set; }

    /// <summary>The wire name of this body's type; not public, so the serializer sees only <see cref="Type"/>.</summary>
    protected abstract string MessageType { get; }
}
