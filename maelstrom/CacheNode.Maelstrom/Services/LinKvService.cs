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

    /// <summary>The stored value of a key (compact JSON), or null if it does not exist.</summary>
    public string? Peek(string keyJson)
    {
        lock (_data)
        {
            return _data.TryGetValue(keyJson, out var value) ? value?.ToJsonString() ?? "null" : null;
        }
    }

    protected override JsonObject Handle(string src, JsonObject body)
    {
        lock (_data)
        {
            return KeyValueState.Apply(_data, body);
        }
    }
}
