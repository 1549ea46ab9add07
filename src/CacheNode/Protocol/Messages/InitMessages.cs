using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary><c>init {node_id, node_ids}</c>: Maelstrom's first message to every node.</summary>
internal sealed record InitRequest
{
    [JsonPropertyName("node_id")]
    public required string NodeId { get; init; }

    [JsonPropertyName("node_ids")]
    public required string[] NodeIds { get; init; }
}

/// <summary>The reply to <see cref="InitRequest"/>.</summary>
internal sealed record InitOk : OutgoingBody
{
    protected override string MessageType => "init_ok";
}
