using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

// Node-to-node messages of write-behind replication (README, "Write-behind durability"). An owner keeps
// each dirty entry on one backup node too; clients never send these.

/// <summary>A dirty value as the owner staged it; a higher version of the same key supersedes a lower one.</summary>
internal sealed record BackupEntry(
    [property: JsonPropertyName("key"), JsonRequired, JsonConverter(typeof(CanonicalKeyConverter))] RawJson Key,
    [property: JsonPropertyName("value"), JsonRequired] RawJson Value,
    [property: JsonPropertyName("version"), JsonRequired] long Version);

/// <summary>
/// <c>answer {to, in_reply_to, type}</c>: the forwarded request a backup acks on the owner's behalf once it
/// holds the copy (chain replication, the tail answering): node <see cref="To"/> asked the owner with
/// <c>msg_id</c> <see cref="InReplyTo"/> and takes a reply of <see cref="Type"/> from the owner's backup too.
/// </summary>
internal sealed record ForwarderAnswer(
    [property: JsonPropertyName("to"), JsonRequired] string To,
    [property: JsonPropertyName("in_reply_to"), JsonRequired] long InReplyTo,
    [property: JsonPropertyName("type"), JsonRequired] string Type);

/// <summary>Every version of <see cref="Key"/> up to <see cref="Version"/> is in the database (or was abandoned): no longer needed.</summary>
internal sealed record FlushedEntry(
    [property: JsonPropertyName("key"), JsonRequired, JsonConverter(typeof(CanonicalKeyConverter))] RawJson Key,
    [property: JsonPropertyName("version"), JsonRequired] long Version);

/// <summary>
/// <c>backup {inc, entries, flushed}</c> (owner → backup): hold these dirty entries, forget these flushed
/// ones. Sent for every write before its ack, and every lease_ms/4 as a heartbeat whose reply renews the
/// owner's custody (its right to flush the keys this backup holds).
/// </summary>
internal sealed record BackupRequest : OutgoingBody
{
    /// <summary>The owner's incarnation: a backup ignores an owner's messages from before its latest restart.</summary>
    [JsonPropertyName("inc")]
    [JsonRequired]
    public long Incarnation { get; init; }

    /// <summary>
    /// The run of the backup the entries are meant for (0: not known yet). A restarted backup does not
    /// take copies addressed to its earlier run: one could arrive after that run had already dropped it.
    /// </summary>
    [JsonPropertyName("backup_inc")]
    public long BackupIncarnation { get; init; }

    [JsonPropertyName("entries")]
    public BackupEntry?[]? Entries { get; init; }

    [JsonPropertyName("flushed")]
    public FlushedEntry?[]? Flushed { get; init; }

    /// <summary>
    /// Set only on a write's own copy (never on a heartbeat): once the entries are held, the backup acks
    /// this forwarded request for the owner.
    /// </summary>
    [JsonPropertyName("answer")]
    public ForwarderAnswer? Answer { get; init; }

    protected override string MessageType => "backup";
}

/// <summary>
/// <c>backup_ok {inc, backup_inc, custody}</c>: the entries are held. <c>custody</c> true grants the owner
/// a lease (from when it sent the request) during which the backup will not flush the owner's entries
/// itself.
/// </summary>
internal sealed record BackupOk : OutgoingBody
{
    /// <summary>The owner incarnation the request came from, echoed so a reply meant for an earlier run is never taken for one.</summary>
    [JsonPropertyName("inc")]
    [JsonRequired]
    public long Incarnation { get; init; }

    /// <summary>The backup's own incarnation: when it changes, the backup restarted and lost what it held.</summary>
    [JsonPropertyName("backup_inc")]
    [JsonRequired]
    public long BackupIncarnation { get; init; }

    [JsonPropertyName("custody")]
    public bool Custody { get; init; }

    /// <summary>Whether the entries were taken (false: they were addressed to an earlier run of the backup).</summary>
    [JsonPropertyName("stored")]
    public bool Stored { get; init; }

    protected override string MessageType => "backup_ok";
}

/// <summary>
/// <c>recover {inc}</c> (owner → its backup): sent by an owner that has just started, or whose backup flushed
/// its entries while it was unreachable. The backup stops flushing them and hands back what it holds.
/// </summary>
internal sealed record RecoverRequest : OutgoingBody
{
    [JsonPropertyName("inc")]
    [JsonRequired]
    public long Incarnation { get; init; }

    protected override string MessageType => "recover";
}

/// <summary>
/// <c>recover_ok {inc, backup_inc, entries, flushed}</c>: the dirty entries the backup holds for the owner,
/// and the ones it flushed itself (the owner forgets those versions and drops its cached copy).
/// </summary>
internal sealed record RecoverOk : OutgoingBody
{
    [JsonPropertyName("inc")]
    [JsonRequired]
    public long Incarnation { get; init; }

    [JsonPropertyName("backup_inc")]
    [JsonRequired]
    public long BackupIncarnation { get; init; }

    [JsonPropertyName("entries")]
    public BackupEntry?[]? Entries { get; init; }

    [JsonPropertyName("flushed")]
    public FlushedEntry?[]? Flushed { get; init; }

    protected override string MessageType => "recover_ok";
}
