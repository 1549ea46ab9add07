using System.Text.Json.Nodes;

namespace CacheNode.IntegrationTests.Services;

/// <summary>
/// A scripted stand-in for Maelstrom's <c>lin-kv</c> service that speaks its real message format:
/// read / write / cas (with <c>create_if_not_exists</c>), errors 20 and 22, and replies that can be
/// dropped on purpose. Linearizable because it handles one message at a time.
/// </summary>
internal sealed class FakeLinKvService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonNode?> _data = [];
    private readonly Dictionary<string, int> _received = [];
    private int _dropReplies;

    public string Name => "lin-kv";

    /// <summary>
    /// Upper bound of a random delay before a read's reply is delivered. The value is taken when the
    /// request arrives, as on a slow network, which opens the window in which a fill races a write.
    /// </summary>
    public TimeSpan MaxReadReplyDelay { get; set; }

    /// <summary>Drops the replies to the next <paramref name="count"/> requests (they still take effect).</summary>
    public void DropNextReplies(int count)
    {
        lock (_gate)
        {
            _dropReplies = count;
        }
    }

    public int Received(string type)
    {
        lock (_gate)
        {
            return _received.GetValueOrDefault(type);
        }
    }

    public void Seed(string keyJson, string valueJson)
    {
        lock (_gate)
        {
            _data[keyJson] = JsonNode.Parse(valueJson);
        }
    }

    public string? ValueOf(string keyJson)
    {
        lock (_gate)
        {
            return _data.TryGetValue(keyJson, out var value) ? value?.ToJsonString() ?? "null" : null;
        }
    }

    /// <summary>Applies one request line and returns the reply line, or null when the reply is dropped.</summary>
    public string? Handle(string line)
    {
        var message = JsonNode.Parse(line)!.AsObject();
        var body = message["body"]!.AsObject();
        var type = body["type"]!.GetValue<string>();
        var key = body["key"]?.ToJsonString() ?? "null";
        JsonObject reply;
        lock (_gate)
        {
            _received[type] = _received.GetValueOrDefault(type) + 1;
            reply = type switch
            {
                "read" => _data.TryGetValue(key, out var value)
                    ? new JsonObject { ["type"] = "read_ok", ["value"] = value?.DeepClone() }
                    : Error(20, "key does not exist"),
                "write" => Write(key, body["value"]),
                "cas" => Cas(key, body["from"], body["to"], body["create_if_not_exists"]?.GetValue<bool>() ?? false),
                _ => Error(10, "unsupported"),
            };

            if (_dropReplies > 0)
            {
                _dropReplies--;
                return null;
            }
        }

        reply["in_reply_to"] = body["msg_id"]!.GetValue<long>();
        return new JsonObject { ["src"] = Name, ["dest"] = message["src"]!.GetValue<string>(), ["body"] = reply }.ToJsonString();
    }

    private JsonObject Write(string key, JsonNode? value)
    {
        _data[key] = value?.DeepClone();
        return new JsonObject { ["type"] = "write_ok" };
    }

    private JsonObject Cas(string key, JsonNode? from, JsonNode? to, bool create)
    {
        if (!_data.TryGetValue(key, out var current))
        {
            if (!create)
            {
                return Error(20, "key does not exist");
            }
        }
        else if (!JsonNode.DeepEquals(current, from))
        {
            return Error(22, $"current value {current?.ToJsonString()} is not {from?.ToJsonString()}");
        }

        _data[key] = to?.DeepClone();
        return new JsonObject { ["type"] = "cas_ok" };
    }

    private static JsonObject Error(int code, string text) => new() { ["type"] = "error", ["code"] = code, ["text"] = text };
}
