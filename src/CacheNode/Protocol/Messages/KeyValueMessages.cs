using System.Text.Json.Serialization;

namespace CacheNode.Protocol.Messages;

// The key-value operations share their shape with Maelstrom's lin-kv service, so the same records
// serve the client API and the node's own requests to lin-kv / seq-kv.

/// <summary><c>read {key}</c>.</summary>
internal sealed record ReadRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    protected override string MessageType => "read";
}

/// <summary><c>read_ok {value}</c>.</summary>
internal sealed record ReadOk([property: JsonPropertyName("value"), JsonRequired] RawJson Value) : OutgoingBody
{
    protected override string MessageType => "read_ok";
}

/// <summary><c>write {key, value}</c>.</summary>
internal sealed record WriteRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    [JsonPropertyName("value")]
    public required RawJson Value { get; init; }

    protected override string MessageType => "write";
}

/// <summary><c>write_ok</c>.</summary>
internal sealed record WriteOk : OutgoingBody
{
    protected override string MessageType => "write_ok";
}

/// <summary><c>cas {key, from, to, create_if_not_exists?}</c>.</summary>
internal sealed record CasRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    [JsonPropertyName("from")]
    public required RawJson From { get; init; }

    [JsonPropertyName("to")]
    public required RawJson To { get; init; }

    [JsonPropertyName("create_if_not_exists")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CreateIfNotExists { get; init; }

    protected override string MessageType => "cas";
}

/// <summary><c>cas_ok</c>.</summary>
internal sealed record CasOk : OutgoingBody
{
    protected override string MessageType => "cas_ok";
}

/// <summary><c>invalidate {key}</c>: drop the key from every node's cache.</summary>
internal sealed record InvalidateRequest : OutgoingBody
{
    [JsonPropertyName("key")]
    public required RawJson Key { get; init; }

    protected override string MessageType => "invalidate";
}

/// <summary><c>invalidate_ok</c>.</summary>
internal sealed record InvalidateOk : OutgoingBody
{
    protected override string MessageType => "invalidate_ok";
}

/// <summary><c>flush</c>: returns once every write this node acked is in the database.</summary>
internal sealed record FlushRequest : OutgoingBody
{
    protected override string MessageType => "flush";
}

/// <summary><c>flush_ok</c>.</summary>
internal sealed record FlushOk : OutgoingBody
{
    protected override string MessageType => "flush_ok";
}
