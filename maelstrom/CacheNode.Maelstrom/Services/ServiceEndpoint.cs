using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// A Maelstrom service reached by RPC like any node. Requests are handled one at a time, in delivery
/// order, which is what makes the key-value services' guarantees easy to reason about.
/// </summary>
internal abstract class ServiceEndpoint(string id, Network network) : IEndpoint
{
    private readonly Lock _gate = new();
    private long _nextMsgId;

    public string Id => id;

    /// <summary>Requests the service could not answer (placeholder until the services land).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    public void Deliver(string line)
    {
        var message = JsonNode.Parse(line)!.AsObject();
        var src = message["src"]!.GetValue<string>();
        var body = message["body"]!.AsObject();
        JsonObject reply;
        lock (_gate)
        {
            reply = Handle(src, body);
            reply["in_reply_to"] = body["msg_id"]?.DeepClone();
            reply["msg_id"] = _nextMsgId++;
        }

        network.Send(new JsonObject { ["src"] = id, ["dest"] = src, ["body"] = reply }.ToJsonString());
    }

    /// <summary>Handles one request from <paramref name="src"/> and returns the reply body (without ids).</summary>
    protected abstract JsonObject Handle(string src, JsonObject body);

    protected static JsonObject Error(int code, string text) => new() { ["type"] = "error", ["code"] = code, ["text"] = text };

    protected static JsonObject Ok(string type) => new() { ["type"] = type };
}
