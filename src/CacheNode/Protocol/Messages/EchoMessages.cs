using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

/// <summary><c>echo {echo}</c>: Maelstrom's hello-world workload.</summary>
internal sealed record EchoRequest
{
    [JsonPropertyName("echo")]
    public required RawJson Echo { get; init; }
}

/// <summary>Answers <see cref="EchoRequest"/> with the same value.</summary>
internal sealed record EchoOk([property: JsonPropertyName("echo")] RawJson Echo) : OutgoingBody
{
    protected override string MessageType => "echo_ok";
}
