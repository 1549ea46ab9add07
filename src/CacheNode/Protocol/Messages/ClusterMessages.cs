using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

// Node-to-node messages of the invalidation protocol (README, "Messages between nodes"). Clients never
// send them; a node answers them only once it has been initialized.

/// <summary><c>lease_request {uptime_ms}</c>: asks a peer for a lease, the permission to serve cached entries.</summary>
internal sealed record LeaseRequest : OutgoingBody
{
    /// <summary>How long the asker has been running: it cannot have acknowledged anything before that.</summary>
    [JsonPropertyName("uptime_ms")]
    public long UptimeMs { get; init; }

    protected override string MessageType => "lease_request";
}

/// <summary>
/// <c>lease_ok {writes_in_flight}</c>: until <c>lease_ms</c> after the request was sent, the peer will not
/// let a write reach the database without first hearing this node acknowledge its revocation.
/// </summary>
internal sealed record LeaseOk : OutgoingBody
{
    /// <summary>
    /// Whether the granting node has a write in flight that began before the asker started (by its
    /// <c>uptime_ms</c>): a node that crashed and came back may have acknowledged that write's
    /// revocation in its earlier life and forgotten it.
    /// </summary>
    [JsonPropertyName("writes_in_flight")]
    public bool WritesInFlight { get; init; }

    protected override string MessageType => "lease_ok";
}

/// <summary>One key a writer revokes, named by the writer's id for that write.</summary>
internal sealed record RevokedKey(
    [property: JsonPropertyName("id"), JsonRequired] long Id,
    [property: JsonPropertyName("key"), JsonRequired] RawJson Key);

/// <summary>
/// The end of a revocation. With a value (write-through) the receiver may cache it; <c>unchanged</c> says
/// the write changed nothing (a failed cas), so the copy the revocation set aside may come back.
/// </summary>
internal sealed record ReleasedWrite(
    [property: JsonPropertyName("id"), JsonRequired] long Id,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] RawJson Value,
    [property: JsonPropertyName("unchanged"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Unchanged = false);

/// <summary>
/// <c>revoke {keys, ttl_ms, release?}</c>: drop these keys and cache none of them until released or until
/// <c>ttl_ms</c> has passed; answered with <c>revoke_ok</c> once done. Releases waiting for the same peer
/// ride along.
/// </summary>
internal sealed record RevokeRequest : OutgoingBody
{
    [JsonPropertyName("keys")]
    public required RevokedKey[] Keys { get; init; }

    [JsonPropertyName("ttl_ms")]
    public required long TtlMs { get; init; }

    [JsonPropertyName("release")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReleasedWrite[]? Release { get; init; }

    protected override string MessageType => "revoke";
}

/// <summary><c>revoke_ok</c>.</summary>
internal sealed record RevokeOk : OutgoingBody
{
    protected override string MessageType => "revoke_ok";
}

/// <summary><c>release {release}</c>: one-way, never answered; a lost release only delays caching until the revocation's ttl.</summary>
internal sealed record ReleaseRequest : OutgoingBody
{
    [JsonPropertyName("release")]
    public required ReleasedWrite[] Release { get; init; }

    protected override string MessageType => "release";
}

/// <summary>What a handler returns for a one-way message: nothing goes back.</summary>
internal sealed record NoReply : OutgoingBody
{
    public static readonly NoReply Instance = new();

    protected override string MessageType => "none";
}
