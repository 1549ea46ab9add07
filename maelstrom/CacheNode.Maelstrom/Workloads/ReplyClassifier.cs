using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Maps a reply to Jepsen's outcomes with Maelstrom's client rules (client.clj <c>with-errors</c> and
/// <c>defrpc</c>): a timeout or an error is a failure for an idempotent operation (a read) and for a
/// definite error code; otherwise indeterminate. A reply that does not fit the RPC's schema exactly
/// (wrong type, a missing or extra field, a non-integer msg_id) throws in Maelstrom's client, which
/// makes the operation indeterminate, whatever it was.
/// </summary>
internal static class ReplyClassifier
{
    // resources/errors.edn: the codes marked :definite? true. Everything else, unknown codes included, is indefinite.
    private static readonly HashSet<int> Definite = [1, 10, 11, 12, 14, 20, 21, 22, 30];

    /// <param name="reply">The reply body, or null on timeout.</param>
    /// <param name="expectedType">The RPC's reply type, e.g. read_ok.</param>
    /// <param name="idempotent">True for Maelstrom's idempotent operations (lin-kv's read).</param>
    /// <param name="fields">The reply fields the RPC's schema requires besides type, in_reply_to and an optional msg_id.</param>
    public static (OpStatus Status, int? Code, string? Text) Classify(JsonObject? reply, string expectedType, bool idempotent, params string[] fields)
    {
        if (reply is null)
        {
            return (idempotent ? OpStatus.Fail : OpStatus.Info, null, "net-timeout");
        }

        var type = reply["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (type == "error")
        {
            int? code = reply["code"] is JsonValue c && c.TryGetValue<int>(out var parsed) ? parsed : null;
            var text = reply["text"] is JsonValue x && x.TryGetValue<string>(out var said) ? said : null;
            var definite = code is { } known && Definite.Contains(known);
            return (definite || idempotent ? OpStatus.Fail : OpStatus.Info, code, text);
        }

        if (SchemaError(reply, type, expectedType, fields) is { } problem)
        {
            return (OpStatus.Info, null, $"malformed-rpc-response: {problem}");
        }

        return (OpStatus.Ok, null, null);
    }

    /// <summary>A register value from a reply: workload values are small ints; null is nil; anything else can never have been written.</summary>
    public static int? ValueOf(JsonNode? value) => value switch
    {
        null => null,
        JsonValue number when number.TryGetValue<int>(out var v) => v,
        _ => int.MinValue,
    };

    private static string? SchemaError(JsonObject reply, string? type, string expectedType, string[] fields)
    {
        if (type != expectedType)
        {
            return $"type {type ?? "(none)"} where {expectedType} was expected";
        }

        foreach (var field in fields)
        {
            if (!reply.ContainsKey(field))
            {
                return $"{field} is missing";
            }
        }

        foreach (var (name, value) in reply)
        {
            switch (name)
            {
                case "type" or "in_reply_to":
                    break;
                case "msg_id" when value is JsonValue id && id.TryGetValue<long>(out _):
                    break;
                case "msg_id":
                    return "msg_id is not an integer";
                default:
                    if (!fields.Contains(name, StringComparer.Ordinal))
                    {
                        return $"{name} is not a field of {expectedType}";
                    }

                    break;
            }
        }

        return null;
    }
}
