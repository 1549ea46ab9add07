using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>lin-kv</c>: a linearizable key-value store. One map, one request at a time, applied
/// when the request is delivered: each operation takes effect between its send and its reply.
/// </summary>
internal sealed class LinKvService(Network network) : ServiceEndpoint("lin-kv", network)
{
    private readonly Dictionary<string, JsonNode?> _data = new(StringComparer.Ordinal);
    private long _writes;

    /// <summary>Write and cas requests handled (whether or not they changed anything).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>The value stored under <paramref name="key"/> (compact JSON text), read directly: what the database holds now.</summary>
    public (bool Found, JsonNode? Value) Peek(string key)
    {
        lock (_data)
        {
            return _data.TryGetValue(key, out var value) ? (true, value?.DeepClone()) : (false, null);
        }
    }

    protected override JsonObject Handle(string src, JsonObject body)
    {
        if (KeyValueState.IsWrite(body))
        {
            Interlocked.Increment(ref _writes);
        }

        lock (_data)
        {
            return KeyValueState.Apply(_data, body);
        }
    }
}
