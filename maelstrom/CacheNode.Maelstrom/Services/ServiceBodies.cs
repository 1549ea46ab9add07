using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Services;

/// <summary>Reading request bodies and building reply bodies the way Maelstrom's services do.</summary>
internal static class ServiceBodies
{
    /// <summary>The request's <c>type</c> when it is a string; anything else matches no service's case.</summary>
    public static string? TypeOf(JsonObject body) =>
        body["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null;

    /// <summary>Clojure's truthiness: everything but nil (absent or JSON null) and false counts as true.</summary>
    public static bool IsTruthy(JsonNode? node) => node is not null && node.GetValueKind() is not (JsonValueKind.Null or JsonValueKind.False);

    public static JsonObject Ok(string type) => new() { ["type"] = type };

    public static JsonObject Error(int code, string text) => new() { ["type"] = "error", ["code"] = code, ["text"] = text };

    public static JsonObject KeyDoesNotExist() => Error(20, "key does not exist");
}
