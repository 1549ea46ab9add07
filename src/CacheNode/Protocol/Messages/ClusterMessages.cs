using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

// Node-to-node messages of write-through and cache-aside coherence (docs/design.md, "Messages between
// nodes"). Clients never send them; a node answers them only once it has been initialized.

/// <summary><c>fill {key}</c>: a node that missed asks the key's home for its value and a key lease.</summary>
internal sealed record FillRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    protected override string MessageType => "fill";
}

/// <summary>
/// <c>fill_ok {value?, lease}</c>: the key's value (absent: the key does not exist). With <c>lease</c>, the
/// asker may cache it until <c>lease_ms</c> after it sent the request: the home will revoke it, or wait
/// that long, before any later write of the key reaches the database.
/// </summary>
internal sealed record FillOk : OutgoingBody
{
    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RawJson Value { get; init; }

    [JsonPropertyName("lease")]
    public bool Lease { get; init; }

    protected override string MessageType => "fill_ok";
}

/// <summary>
/// <c>revoke {keys, all?}</c>: drop these keys (and let no fill already in flight install them); with
/// <c>all</c>, every key the sender is home to (a home that just started, and forgot whom it granted
/// leases to, sends it once to each peer). Answered with <c>revoke_ok</c>.
/// </summary>
internal sealed record RevokeRequest : OutgoingBody
{
    [JsonPropertyName("keys")]
    public required RawJson[] Keys { get; init; }

    [JsonPropertyName("all")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool All { get; init; }

    protected override string MessageType => "revoke";
}

/// <summary><c>revoke_ok</c>.</summary>
internal sealed record RevokeOk : OutgoingBody
{
    protected override string MessageType => "revoke_ok";
}

/// <summary>What a handler returns for a one-way message: nothing goes back.</summary>
internal sealed record NoReply : OutgoingBody
{
    public static readonly NoReply Instance = new();

    protected override string MessageType => "none";
}
