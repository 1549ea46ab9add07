using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// A Maelstrom service reached by RPC like any node. Requests are handled one at a time, in delivery
/// order, which is what makes the key-value services' guarantees easy to reason about. Replies are what
/// Maelstrom's <c>service-thread</c> sends: the service's body plus <c>in_reply_to</c>, and no <c>msg_id</c>.
/// </summary>
internal abstract class ServiceEndpoint(string id, Network network) : IEndpoint
{
    private readonly Lock _gate = new();

    public string Id => id;

    /// <summary>
    /// Requests this service dropped without a reply (a type it has no case for), for the run to report:
    /// in Maelstrom the handler throws, the service worker logs "Error in service worker!" and the
    /// requester waits in vain.
    /// </summary>
    public ConcurrentQueue<string> Warnings { get; } = new();

    public void Deliver(string line)
    {
        var message = JsonNode.Parse(line)!.AsObject();
        var src = message["src"]!.GetValue<string>();
        var body = message["body"]!.AsObject();
        if (Answer(src, body) is { } reply)
        {
            network.Send(new JsonObject { ["src"] = id, ["dest"] = src, ["body"] = reply }.ToJsonString());
        }
    }

    /// <summary>
    /// Handles one request from <paramref name="src"/> and returns the reply body to send back, or null
    /// when Maelstrom would send none (the request is then recorded in <see cref="Warnings"/>).
    /// </summary>
    public JsonObject? Answer(string src, JsonObject body)
    {
        JsonObject? reply;
        lock (_gate)
        {
            reply = Handle(src, body);
        }

        if (reply is null)
        {
            Warnings.Enqueue(
                $"{id} sent no reply to {src}: it has no case for request type {body["type"]?.ToJsonString() ?? "(none)"} "
                + $"(Maelstrom's service worker would log \"Error in service worker!\"): {LineText.Truncate(body.ToJsonString())}");
            return null;
        }

        // Absent msg_id gives in_reply_to null, as Clojure's (:msg_id body) is then nil.
        reply["in_reply_to"] = body["msg_id"]?.DeepClone();
        return reply;
    }

    /// <summary>
    /// Handles one request from <paramref name="src"/> (never concurrently with another) and returns the
    /// reply body without <c>in_reply_to</c>, or null for a request type the service has no case for.
    /// </summary>
    protected abstract JsonObject? Handle(string src, JsonObject body);
}
