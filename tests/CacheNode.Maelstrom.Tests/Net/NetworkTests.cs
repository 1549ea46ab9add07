using System.Collections.Concurrent;
using System.Diagnostics;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Tests.Net;

public sealed class NetworkTests : IAsyncLifetime
{
    private readonly string _log = Path.GetTempFileName();
    private MessageLog _messages = null!;
    private Network _network = null!;

    public Task InitializeAsync()
    {
        _messages = new MessageLog(_log);
        _network = new Network(new LatencyModel(2, LatencyDistribution.Uniform, new Random(5)), _messages, Stopwatch.StartNew());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        await _messages.DisposeAsync();
        File.Delete(_log);
    }

    [Fact]
    public async Task Messages_reach_their_dest_in_Maelstroms_spelling_numbered_from_0()
    {
        var n1 = Register("n1");

        _network.Send("""{"src":"n0", "dest":"n1", "body":{"type":"gossip","msg_id":7,"value":[1.50,{"a":null}]}}""").Should().BeTrue();
        _network.Send("""{"dest":"n1","src":"n0","body":{"key":"a\u0009b"}}""").Should().BeTrue();

        var received = new[] { await n1.NextAsync(), await n1.NextAsync() }.Order(StringComparer.Ordinal);
        received.Should().Equal(
            """{"id":0,"src":"n0","dest":"n1","body":{"type":"gossip","msg_id":7,"value":[1.5,{"a":null}]}}""",
            """{"id":1,"src":"n0","dest":"n1","body":{"key":"a\tb"}}""");
    }

    [Fact]
    public async Task With_the_verbatim_option_messages_reach_their_dest_as_written()
    {
        await using var verbatim = new Network(new LatencyModel(0, LatencyDistribution.Constant, new Random(1)), _messages, Stopwatch.StartNew(), verbatim: true);
        var n1 = new Recorder("n1");
        verbatim.Register(n1);
        var line = """{"src":"n0", "dest":"n1", "body":{"type":"gossip","value":10000000.0}}""";

        verbatim.Send(line).Should().BeTrue();

        (await n1.NextAsync()).Should().Be(line);
    }

    [Fact]
    public async Task Partition_drops_exactly_the_cut_traffic_and_healing_restores_it()
    {
        var endpoints = new[] { "n0", "n1", "n2" }.ToDictionary(id => id, Register);
        _network.Partition((a, b) => (a == "n0") != (b == "n0"));

        foreach (var src in endpoints.Keys)
        {
            foreach (var dest in endpoints.Keys.Where(d => d != src))
            {
                _network.Send($$$"""{"src":"{{{src}}}","dest":"{{{dest}}}","body":{"type":"ping"}}""");
            }
        }

        // Six messages: wait (not a fixed delay) until the network has handled all of them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_network.Counts.Dropped + endpoints.Values.Sum(e => e.Received.Count) < 6)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "every message is delivered or dropped");
            await Task.Delay(5);
        }

        endpoints["n0"].Received.Should().BeEmpty();
        endpoints["n1"].Received.Should().ContainSingle().Which.Should().Contain("\"src\":\"n2\"");
        endpoints["n2"].Received.Should().ContainSingle().Which.Should().Contain("\"src\":\"n1\"");
        _network.Counts.Dropped.Should().Be(4);

        _network.Heal();
        _network.Send("""{"src":"n1","dest":"n0","body":{"type":"ping"}}""");
        (await endpoints["n0"].NextAsync()).Should().Contain("\"src\":\"n1\"");
    }

    [Fact]
    public async Task Messages_to_or_from_a_client_get_no_latency()
    {
        await using var slow = new Network(new LatencyModel(60_000, LatencyDistribution.Constant, new Random(1)), _messages, Stopwatch.StartNew());
        var node = new Recorder("n1");
        var client = new Recorder("c1");
        slow.Register(node);
        slow.Register(client);

        slow.Send("""{"src":"c1","dest":"n1","body":{"type":"read","msg_id":1}}""");
        slow.Send("""{"src":"n1","dest":"c1","body":{"type":"read_ok","in_reply_to":1}}""");

        // A minute of latency between nodes; Maelstrom's latency-for gives client hops none.
        (await node.NextAsync()).Should().Contain("\"type\":\"read\"");
        (await client.NextAsync()).Should().Contain("read_ok");
    }

    [Fact]
    public async Task A_grudge_is_one_way()
    {
        var endpoints = new[] { "n1", "n2" }.ToDictionary(id => id, Register);
        _network.Partition((src, dest) => src == "n2" && dest == "n1");

        _network.Send("""{"src":"n2","dest":"n1","body":{"type":"ping"}}""");
        _network.Send("""{"src":"n1","dest":"n2","body":{"type":"ping"}}""");

        (await endpoints["n2"].NextAsync()).Should().Contain("\"src\":\"n1\"");
        while (_network.Counts.Dropped < 1)
        {
            await Task.Delay(5);
        }

        endpoints["n1"].Received.Should().BeEmpty("n1 refuses n2, but n2 still hears n1");
    }

    [Fact]
    public void Messages_to_an_endpoint_not_in_the_network_are_refused()
    {
        _network.Send("""{"src":"n1","dest":"n9","body":{"type":"ping"}}""").Should().BeFalse();
        _network.Problems.Should().ContainSingle().Which.Should().Contain("unknown node n9");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"src":"n0","body":{"type":"x"}}""")]
    [InlineData("""{"src":"n0","dest":"n1","body":{}}""")]
    public void Lines_that_are_not_messages_are_refused(string line)
    {
        _network.Send(line).Should().BeFalse();
        _network.Problems.Should().ContainSingle();
    }

    [Fact]
    public void Traffic_is_counted_by_who_talks_to_whom()
    {
        var counts = new MessageCounts();
        counts.Count("c1", "n0", dropped: false);
        counts.Count("n0", "c1", dropped: false);
        counts.Count("n0", "n1", dropped: false);
        counts.Count("n0", "lin-kv", dropped: false);
        counts.Count("lin-kv", "n0", dropped: false);
        counts.Count("n1", "n0", dropped: true);

        (counts.ClientNode, counts.NodeNode, counts.NodeService, counts.NodeToService, counts.Dropped).Should().Be((2L, 1L, 2L, 1L, 1L));
    }

    private Recorder Register(string id)
    {
        var recorder = new Recorder(id);
        _network.Register(recorder);
        return recorder;
    }

    private sealed class Recorder(string id) : IEndpoint
    {
        private readonly BlockingCollection<string> _lines = [];

        public string Id => id;

        public IReadOnlyList<string> Received => [.. _lines];

        public void Deliver(string line) => _lines.Add(line);

        public Task<string> NextAsync() => Task.Run(() => _lines.TryTake(out var line, TimeSpan.FromSeconds(10)) ? line : throw new TimeoutException());
    }
}
