using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Services;

/// <summary>The read / write / cas semantics Maelstrom's key-value services share, over one map.</summary>
internal static class KeyValueState
{
    /// <summary>Applies a request to <paramref name="data"/> and returns the reply body.</summary>
    public static JsonObject Apply(Dictionary<string, JsonNode?> data, JsonObject body)
    {
        var type = body["type"]?.GetValue<string>();
        var key = body["key"]?.ToJsonString() ?? "null";
        switch (type)
        {
            case "read":
                return data.TryGetValue(key, out var value)
                    ? new JsonObject { ["type"] = "read_ok", ["value"] = value?.DeepClone() }
                    : Error(20, "key does not exist");
            case "write":
                data[key] = body["value"]?.DeepClone();
                return new JsonObject { ["type"] = "write_ok" };
            case "cas":
                var create = body["create_if_not_exists"]?.GetValue<bool>() ?? false;
                if (!data.TryGetValue(key, out var current))
                {
                    if (!create)
                    {
                        return Error(20, "key does not exist");
                    }
                }
                else if (!JsonNode.DeepEquals(current, body["from"]))
                {
                    return Error(22, $"current value {current?.ToJsonString() ?? "null"} is not {body["from"]?.ToJsonString() ?? "null"}");
                }

                data[key] = body["to"]?.DeepClone();
                return new JsonObject { ["type"] = "cas_ok" };
            default:
                return Error(10, $"unsupported request type {type}");
        }
    }

    public static bool IsWrite(JsonObject body) => body["type"]?.GetValue<string>() is "write" or "cas";

    private static JsonObject Error(int code, string text) => new() { ["type"] = "error", ["code"] = code, ["text"] = text };
}
