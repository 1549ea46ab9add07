using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// One replica of Maelstrom's <c>LWWKV</c> (service.clj), the state behind lww-kv: a Lamport clock and, per
/// key, the value with the clock reading it was written at. Unlike <see cref="PersistentKv"/>, cas never
/// creates a key (lww-kv ignores <c>create_if_not_exists</c>).
/// </summary>
internal sealed class LwwKv
{
    private readonly long _clock;
    private readonly ImmutableDictionary<JsonDatum, Stamped> _map;

    private LwwKv(long clock, ImmutableDictionary<JsonDatum, Stamped> map)
    {
        _clock = clock;
        _map = map;
    }

    public static LwwKv Empty { get; } = new(0, ImmutableDictionary<JsonDatum, Stamped>.Empty);

    /// <summary>
    /// Applies one request: the replica after it and the reply. Null for a type this service has no case
    /// for, where Maelstrom's <c>case</c> throws and the requester hears nothing.
    /// </summary>
    public (LwwKv Next, JsonObject Reply)? Handle(JsonObject body)
    {
        var key = JsonDatum.Of(body["key"]);
        switch (ServiceBodies.TypeOf(body))
        {
            case "read":
                return (this, _map.TryGetValue(key, out var stamped)
                    ? new JsonObject { ["type"] = "read_ok", ["value"] = stamped.Value.ToNode() }
                    : ServiceBodies.KeyDoesNotExist());
            case "write":
                return (Stamp(key, JsonDatum.Of(body["value"])), ServiceBodies.Ok("write_ok"));
            case "cas":
                if (!_map.TryGetValue(key, out var current))
                {
                    return (this, ServiceBodies.KeyDoesNotExist());
                }

                // service.clj prints the current value with pr-str but the expected one with str, so a
                // string "from" appears without its quotes (and nil as nothing).
                var from = JsonDatum.Of(body["from"]);
                return current.Value.Equals(from)
                    ? (Stamp(key, JsonDatum.Of(body["to"])), ServiceBodies.Ok("cas_ok"))
                    : (this, ServiceBodies.Error(22, $"current value {current.Value.Text} is not {from.PlainText}"));
            default:
                return null;
        }
    }

    // Every update is stamped with the clock, which then ticks. The stamps only matter to a merge of
    // replicas, which lww-kv computes and throws away (see LwwKvService); they are kept so each replica
    // holds what service.clj's does.
    private LwwKv Stamp(JsonDatum key, JsonDatum value) => new(_clock + 1, _map.SetItem(key, new Stamped(_clock, value)));

    private readonly record struct Stamped(long Timestamp, JsonDatum Value);
}
