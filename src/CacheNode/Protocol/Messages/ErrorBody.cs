using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary>Maelstrom's error reply: <c>{"type":"error","code":C,"text":".."}</c>.</summary>
internal sealed record ErrorBody(
    [property: JsonPropertyName("code"), JsonRequired] int Code,
    [property: JsonPropertyName("text")] string? Text) : OutgoingBody
{
    protected override string MessageType => "error";
}
