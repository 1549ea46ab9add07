using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Maps a reply to Jepsen's outcomes with Maelstrom's rules: a definite error means the operation did
/// not happen; a timeout or an indefinite error means it may have.
/// </summary>
internal static class ReplyClassifier
{
    // Maelstrom's definite error codes (doc/protocol.md): everything else is indefinite.
    private static readonly HashSet<int> Definite = [1, 10, 11, 12, 14, 20, 21, 22, 30];

    public static (OpStatus Status, int? Code, string? Text) Classify(JsonObject? reply, string expectedType)
    {
        if (reply is null)
        {
            return (OpStatus.Info, null, "timeout");
        }

        var type = reply["type"]?.GetValue<string>();
        if (type == expectedType)
        {
            return (OpStatus.Ok, null, null);
        }

        if (type == "error")
        {
            // A code that is not an integer is a protocol violation; treat it as a crash (indefinite).
            var code = reply["code"] is JsonValue c && c.TryGetValue<int>(out var parsed) ? parsed : 13;
            var text = reply["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            return (Definite.Contains(code) ? OpStatus.Fail : OpStatus.Info, code, text);
        }

        return (OpStatus.Info, null, $"unexpected reply type {type}");
    }

    /// <summary>A register value from a reply: workload values are small ints; anything else can never have been written.</summary>
    public static int? ValueOf(JsonNode? value) => value switch
    {
        // JSON null is nil: the register's value before any write.
        null => null,
        JsonValue number when number.TryGetValue<int>(out var v) => v,
        _ => int.MinValue,
    };
}
