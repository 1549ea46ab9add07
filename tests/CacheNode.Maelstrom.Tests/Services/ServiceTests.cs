using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Services;

namespace CacheNode.Maelstrom.Tests.Services;

/// <summary>The services through the real network and message format, as a node reaches them.</summary>
public sealed class ServiceTests : IAsyncLifetime
{
    private readonly string _log = Path.GetTempFileName();
    private readonly BlockingCollection<JsonObject> _replies = [];
    private MessageLog _messages = null!;
    private Network _network = null!;
    private long _msgId;

    public Task InitializeAsync()
    {
        _messages = new MessageLog(_log);
        _network = new Network(new LatencyModel(0, LatencyDistribution.Constant, new Random(1)), _messages, Stopwatch.StartNew());
        _network.Register(new ReplyCollector("n0", _replies));
        _network.Register(new ReplyCollector("n1", _replies));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        await _messages.DisposeAsync();
        File.Delete(_log);
    }

    [Fact]
    public void Lin_kv_answers_read_write_cas_with_maelstroms_error_codes()
    {
        _network.Register(new LinKvService(_network));

        Call("n0", "lin-kv", """{"type":"read","key":1}""")["code"]!.GetValue<int>().Should().Be(20);
        Call("n0", "lin-kv", """{"type":"write","key":1,"value":[1]}""")["type"]!.GetValue<string>().Should().Be("write_ok");
        Call("n1", "lin-kv", """{"type":"read","key":1}""")["value"]!.ToJsonString().Should().Be("[1]");
        Call("n0", "lin-kv", """{"type":"cas","key":1,"from":[2],"to":3}""")["code"]!.GetValue<int>().Should().Be(22);
        Call("n0", "lin-kv", """{"type":"cas","key":1,"from":[1],"to":3}""")["type"]!.GetValue<string>().Should().Be("cas_ok");
        Call("n0", "lin-kv", """{"type":"cas","key":2,"from":0,"to":1}""")["code"]!.GetValue<int>().Should().Be(20);
        Call("n0", "lin-kv", """{"type":"cas","key":2,"from":0,"to":1,"create_if_not_exists":true}""")["type"]!.GetValue<string>().Should().Be("cas_ok");
        Call("n1", "lin-kv", """{"type":"read","key":2}""")["value"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public void Seq_kv_may_serve_old_states_but_never_goes_back_for_one_client_and_shows_its_own_writes()
    {
        _network.Register(new SeqKvService(_network, new Random(3)));
        var staleSeen = false;
        var lastSeenByN1 = -1;
        for (var i = 0; i < 200; i++)
        {
            Call("n0", "seq-kv", $$$"""{"type":"write","key":"k","value":{{{i}}}}""");
            Call("n0", "seq-kv", """{"type":"read","key":"k"}""")["value"]!.GetValue<int>().Should().Be(i, "a client reads its own writes");
            var seen = Call("n1", "seq-kv", """{"type":"read","key":"k"}""");
            var value = seen["type"]!.GetValue<string>() == "read_ok" ? seen["value"]!.GetValue<int>() : -1;
            value.Should().BeGreaterThanOrEqualTo(lastSeenByN1, "one client's view only moves forward");
            staleSeen |= value < i;
            lastSeenByN1 = value;
        }

        staleSeen.Should().BeTrue("seq-kv is allowed to serve stale reads, and does, so nodes meet them in tests");
    }

    [Fact]
    public void Lin_tso_hands_out_strictly_increasing_timestamps()
    {
        _network.Register(new LinTsoService(_network));

        var stamps = Enumerable.Range(0, 20).Select(_ => Call("n0", "lin-tso", """{"type":"ts"}""")["ts"]!.GetValue<long>()).ToList();

        stamps.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    private JsonObject Call(string src, string service, string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var id = Interlocked.Increment(ref _msgId);
        request["msg_id"] = id;
        _network.Send(new JsonObject { ["src"] = src, ["dest"] = service, ["body"] = request }.ToJsonString());
        _replies.TryTake(out var reply, TimeSpan.FromSeconds(10)).Should().BeTrue("the service answers");
        reply!["in_reply_to"]!.GetValue<long>().Should().Be(id);
        return reply;
    }

    private sealed class ReplyCollector(string id, BlockingCollection<JsonObject> replies) : IEndpoint
    {
        public string Id => id;

        public void Deliver(string line) => replies.Add(JsonNode.Parse(line)!["body"]!.AsObject());
    }
}
