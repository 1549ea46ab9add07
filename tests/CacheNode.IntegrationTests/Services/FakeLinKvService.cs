using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Services;

namespace CacheNode.IntegrationTests.Services;

/// <summary>
/// Maelstrom's <c>lin-kv</c> for in-process tests: the bundled runner's own state machine
/// (<see cref="PersistentKv"/>, the twin of Maelstrom's service.clj), so the semantics cannot drift
/// from what the runner checks against, plus what tests script: replies dropped on purpose, request
/// counts, seeding and peeking. Linearizable because it handles one message at a time.
/// </summary>
internal sealed class FakeLinKvService
{
    private readonly Lock _gate = new();
    private PersistentKv _data = PersistentKv.Empty;
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
            _data = _data.Handle(new JsonObject { ["type"] = "write", ["key"] = JsonNode.Parse(keyJson), ["value"] = JsonNode.Parse(valueJson) })!.Value.Next;
        }
    }

    public string? ValueOf(string keyJson)
    {
        lock (_gate)
        {
            return _data.TryGet(JsonDatum.Parse(keyJson), out var value) ? value.Text : null;
        }
    }

    /// <summary>Applies one request line and returns the reply line, or null when the reply is dropped.</summary>
    public string? Handle(string line)
    {
        var message = JsonNode.Parse(line)!.AsObject();
        var body = message["body"]!.AsObject();
        var type = body["type"]!.GetValue<string>();
        JsonObject reply;
        lock (_gate)
        {
            _received[type] = _received.GetValueOrDefault(type) + 1;
            if (_data.Handle(body) is var (next, answer))
            {
                _data = next;
                reply = answer;
            }
            else
            {
                // Maelstrom's service answers nothing to a type it has no case for; a test wants to hear it.
                reply = new JsonObject { ["type"] = "error", ["code"] = 10, ["text"] = "unsupported" };
            }

            if (_dropReplies > 0)
            {
                _dropReplies--;
                return null;
            }
        }

        reply["in_reply_to"] = body["msg_id"]!.GetValue<long>();
        return new JsonObject { ["src"] = Name, ["dest"] = message["src"]!.GetValue<string>(), ["body"] = reply }.ToJsonString();
    }
}
