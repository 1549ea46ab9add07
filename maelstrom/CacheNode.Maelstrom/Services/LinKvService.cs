using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>lin-kv</c>: <c>(linearizable (persistent-kv))</c>. One state, one request at a time,
/// applied when the request is delivered: each operation takes effect between its send and its reply.
/// </summary>
internal sealed class LinKvService(Network network) : ServiceEndpoint("lin-kv", network)
{
    private PersistentKv _state = PersistentKv.Empty;
    private long _writes;

    /// <summary>Write and cas requests handled (whether or not they changed anything).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// The value stored under <paramref name="key"/> (its JSON text, e.g. <c>7</c> or <c>"k"</c> with the
    /// quotes), read directly: what the database holds now.
    /// </summary>
    public (bool Found, JsonNode? Value) Peek(string key) =>
        Volatile.Read(ref _state).TryGet(JsonDatum.Parse(key), out var value) ? (true, value.ToNode()) : (false, null);

    protected override JsonObject? Handle(string src, JsonObject body)
    {
        if (ServiceBodies.TypeOf(body) is "write" or "cas")
        {
            Interlocked.Increment(ref _writes);
        }

        if (_state.Handle(body) is not (var next, var reply))
        {
            return null;
        }

        // The states are immutable, so Peek can read the newest one without taking the service's lock.
        Volatile.Write(ref _state, next);
        return reply;
    }
}
