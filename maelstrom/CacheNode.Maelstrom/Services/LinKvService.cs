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

    protected override JsonObject Handle(string src, JsonObject body)
    {
        lock (_data)
        {
            return KeyValueState.Apply(_data, body);
        }
    }
}
