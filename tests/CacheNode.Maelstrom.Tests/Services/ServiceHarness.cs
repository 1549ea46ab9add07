using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Services;

namespace CacheNode.Maelstrom.Tests.Services;

/// <summary>
/// A real network with two requesters, n0 and n1, whose replies are collected; services are asked either
/// over the network (the wire format) or directly (their logic, one request at a time).
/// </summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    private readonly string _log = Path.GetTempFileName();
    private readonly MessageLog _messages;
    private readonly BlockingCollection<JsonObject> _replies = [];
    private long _msgId;

    public ServiceHarness()
    {
        _messages = new MessageLog(_log);
        Network = new Network(new LatencyModel(0, LatencyDistribution.Constant, new Random(1)), _messages, Stopwatch.StartNew());
        Network.Register(new ReplyCollector("n0", _replies));
        Network.Register(new ReplyCollector("n1", _replies));
    }

    public Network Network { get; }

    /// <summary>Sends <paramref name="body"/> (JSON) from <paramref name="src"/> with a fresh msg_id and returns that id.</summary>
    public long Send(string src, string dest, string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var id = Interlocked.Increment(ref _msgId);
        request["msg_id"] = id;
        SendAsIs(src, dest, request.ToJsonString());
        return id;
    }

    /// <summary>Sends <paramref name="body"/> exactly as given (e.g. without a msg_id).</summary>
    public void SendAsIs(string src, string dest, string body) =>
        Network.Send(new JsonObject { ["src"] = src, ["dest"] = dest, ["body"] = JsonNode.Parse(body) }.ToJsonString()).Should().BeTrue();

    /// <summary>The next reply body either requester received (waiting for it: delivery is asynchronous).</summary>
    public JsonObject NextReply()
    {
        _replies.TryTake(out var reply, TimeSpan.FromSeconds(10)).Should().BeTrue("the service answers");
        return reply!;
    }

    /// <summary>Replies received and not yet taken.</summary>
    public int PendingReplies => _replies.Count;

    /// <summary>Sends a request over the network and returns its reply, checking it answers this request.</summary>
    public JsonObject Call(string src, string dest, string body)
    {
        var id = Send(src, dest, body);
        var reply = NextReply();
        reply["in_reply_to"]!.GetValue<long>().Should().Be(id);
        return reply;
    }

    /// <summary>Asks <paramref name="service"/> directly, as if <paramref name="src"/> had sent <paramref name="body"/>.</summary>
    public static JsonObject? Ask(ServiceEndpoint service, string src, string body) => service.Answer(src, JsonNode.Parse(body)!.AsObject());

    public async ValueTask DisposeAsync()
    {
        await Network.DisposeAsync();
        await _messages.DisposeAsync();
        File.Delete(_log);
    }

    private sealed class ReplyCollector(string id, BlockingCollection<JsonObject> replies) : IEndpoint
    {
        public string Id => id;

        public void Deliver(string line) => replies.Add(JsonNode.Parse(line)!["body"]!.AsObject());
    }
}
