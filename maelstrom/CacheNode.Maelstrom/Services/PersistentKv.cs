using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>PersistentKV</c> (service.clj), the state behind lin-kv and seq-kv: an immutable map that
/// answers read, write and cas with a new map and a reply. A request that leaves the map equal to itself
/// (a read, a failed cas, a write of the value already held) hands back this very state, which is how
/// seq-kv tells, without comparing whole maps, whether Clojure would find the two states <c>=</c>.
/// </summary>
internal sealed class PersistentKv
{
    private readonly ImmutableDictionary<JsonDatum, JsonDatum> _map;

    private PersistentKv(ImmutableDictionary<JsonDatum, JsonDatum> map) => _map = map;

    public static PersistentKv Empty { get; } = new(ImmutableDictionary<JsonDatum, JsonDatum>.Empty);

    /// <summary>The value stored under <paramref name="key"/>, if any.</summary>
    public bool TryGet(JsonDatum key, out JsonDatum value) => _map.TryGetValue(key, out value!);

    /// <summary>
    /// Applies one request: the state after it (this same instance if nothing changed) and the reply. Null
    /// for a type this service has no case for, where Maelstrom's <c>case</c> throws and the requester hears
    /// nothing.
    /// </summary>
    public (PersistentKv Next, JsonObject Reply)? Handle(JsonObject body)
    {
        var key = JsonDatum.Of(body["key"]);
        switch (ServiceBodies.TypeOf(body))
        {
            case "read":
                return (this, _map.TryGetValue(key, out var value)
                    ? new JsonObject { ["type"] = "read_ok", ["value"] = value.ToNode() }
                    : ServiceBodies.KeyDoesNotExist());
            case "write":
                return (With(key, JsonDatum.Of(body["value"])), ServiceBodies.Ok("write_ok"));
            case "cas":
                var from = JsonDatum.Of(body["from"]);
                if (_map.TryGetValue(key, out var current))
                {
                    // Maelstrom prints both values with pr-str (Clojure's notation); compact JSON stands in for it.
                    return current.Equals(from)
                        ? (With(key, JsonDatum.Of(body["to"])), ServiceBodies.Ok("cas_ok"))
                        : (this, ServiceBodies.Error(22, $"current value {current.Text} is not {from.Text}"));
                }

                return ServiceBodies.IsTruthy(body["create_if_not_exists"])
                    ? (With(key, JsonDatum.Of(body["to"])), ServiceBodies.Ok("cas_ok"))
                    : (this, ServiceBodies.KeyDoesNotExist());
            default:
                return null;
        }
    }

    private PersistentKv With(JsonDatum key, JsonDatum value) =>
        _map.TryGetValue(key, out var held) && held.Equals(value) ? this : new PersistentKv(_map.SetItem(key, value));
}
