using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Clients;

/// <summary>
/// A Maelstrom client endpoint (<c>c1</c>, <c>c2</c>, …): sends requests to nodes and matches replies by
/// <c>in_reply_to</c>. A reply that matches no request it waits for (late, or with an <c>in_reply_to</c>
/// that is not an integer) is ignored, as Maelstrom's client.clj <c>recv!</c> does.
/// </summary>
internal sealed class Client(string id, Network network) : IEndpoint
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private long _nextMsgId;

    public string Id => id;

    /// <summary>Sends <paramref name="body"/> to <paramref name="dest"/>; the reply body, or null on timeout.</summary>
    public async Task<JsonObject?> RequestAsync(string dest, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var msgId = Interlocked.Increment(ref _nextMsgId);
        body["msg_id"] = msgId;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[msgId] = reply;
        try
        {
            network.Send(new JsonObject { ["src"] = id, ["dest"] = dest, ["body"] = body }.ToJsonString());
            return await reply.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending.TryRemove(msgId, out _);
        }
    }

    public void Deliver(string line)
    {
        if (JsonNode.Parse(line)?["body"] is JsonObject body
            && body["in_reply_to"] is JsonValue replyTo && replyTo.TryGetValue<long>(out var msgId)
            && _pending.TryRemove(msgId, out var waiter))
        {
            waiter.TrySetResult(body);
        }
    }
}
