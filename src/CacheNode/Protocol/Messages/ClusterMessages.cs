using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

// Node-to-node messages of write-through and cache-aside coherence (docs/design.md, "Messages between
// nodes"). Clients never send them; a node answers them only once it has been initialized.

/// <summary>
/// <c>fill {key, run?, acked?}</c>: a node that missed asks the key's home for its value and a key lease;
/// like <c>renew</c>, it acknowledges the drops it applied (<c>acked</c>, of the home's run <c>run</c>).
/// </summary>
internal sealed record FillRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    [JsonPropertyName("run")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Run { get; init; }

    [JsonPropertyName("acked")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Acked { get; init; }

    protected override string MessageType => "fill";
}

/// <summary>
/// <c>renew {run, acked}</c>: a holder asks a home to extend its volume lease, acknowledging every drop of
/// the home's run <c>run</c> up to <c>acked</c> it applied. Answered with <c>renew_ok</c>.
/// </summary>
internal sealed record RenewRequest : OutgoingBody
{
    [JsonPropertyName("run")]
    public long Run { get; init; }

    [JsonPropertyName("acked")]
    public long Acked { get; init; }

    protected override string MessageType => "renew";
}

/// <summary>
/// What every reply that extends a volume carries (<c>renew_ok</c>, <c>fill_ok</c>): the home's
/// <c>run</c>; the keys to drop before the extension covers anything (<c>drops</c>); the highest drop
/// number given (<c>seq</c>); and <c>volume_ms</c>, how long the home counts the volume (from when the
/// holder sent its request, less the drift margin, the holder may count it no longer).
/// </summary>
internal abstract record VolumeGrantReply : OutgoingBody
{
    [JsonPropertyName("run")]
    public long Run { get; init; }

    [JsonPropertyName("drops")]
    public DropMessage[] Drops { get; init; } = [];

    [JsonPropertyName("seq")]
    public long Seq { get; init; }

    [JsonPropertyName("volume_ms")]
    public long VolumeMs { get; init; }
}

/// <summary><c>renew_ok {run, drops, seq, volume_ms}</c>: the volume is extended once the listed keys are dropped.</summary>
internal sealed record RenewOk : VolumeGrantReply
{
    protected override string MessageType => "renew_ok";
}

/// <summary>One key a holder must drop before it serves anything of the home's again, numbered per holder within the home's run.</summary>
internal sealed record DropMessage(
    [property: JsonPropertyName("seq"), JsonRequired] long Seq,
    [property: JsonPropertyName("key"), JsonRequired, JsonConverter(typeof(CanonicalKeyConverter))] RawJson Key);

/// <summary>
/// <c>fill_ok {value?, lease, lease_ms, run, drops, seq}</c>: the key's value (absent: the key does not
/// exist). With <c>lease</c>, the asker may cache it until <c>lease_ms</c> after it sent the request, while
/// its volume lease (granted by the rest, as <c>renew_ok</c> does) also covers it: the home will revoke it,
/// or wait until one of the two ends, before any later write of the key reaches the database.
/// </summary>
internal sealed record FillOk : VolumeGrantReply
{
    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RawJson Value { get; init; }

    [JsonPropertyName("lease")]
    public bool Lease { get; init; }

    [JsonPropertyName("lease_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LeaseMs { get; init; }

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
    [JsonConverter(typeof(CanonicalKeyListConverter))]
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
