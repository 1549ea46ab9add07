using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Services;

namespace CacheNode.Maelstrom.Tests.Services;

/// <summary>
/// What every service shares (the reply's ids, silence on unknown requests), lin-kv's and the key-value
/// rules it shares with seq-kv, and lin-tso: service.clj's behaviour, through the real network where the
/// message format matters.
/// </summary>
public sealed class ServiceTests : IAsyncLifetime
{
    private readonly ServiceHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string> ServiceIds => ["lin-kv", "seq-kv", "lww-kv", "lin-tso"];

    [Theory]
    [MemberData(nameof(ServiceIds))]
    public void Replies_carry_in_reply_to_and_no_msg_id_of_their_own(string serviceId)
    {
        Register(serviceId);
        var request = serviceId == "lin-tso" ? """{"type":"ts"}""" : """{"type":"write","key":1,"value":2}""";

        var reply = _harness.Call("n0", serviceId, request);

        reply.ContainsKey("msg_id").Should().BeFalse("Maelstrom's service-thread only adds in_reply_to");
    }

    [Fact]
    public void A_value_comes_back_as_Maelstrom_spells_it_not_as_it_was_written()
    {
        Register("lin-kv");
        _harness.Call("n0", "lin-kv", """{"type":"write","key":"k\u0009","value":10000000.0}""");

        var reply = _harness.Call("n1", "lin-kv", """{"type":"read","key":"k\t"}""");

        reply["value"]!.ToJsonString().Should().Be("1.0E7");
    }

    [Fact]
    public void A_request_without_msg_id_is_answered_with_in_reply_to_null()
    {
        Register("lin-kv");

        _harness.SendAsIs("n0", "lin-kv", """{"type":"read","key":1}""");
        var reply = _harness.NextReply();

        reply.ContainsKey("in_reply_to").Should().BeTrue();
        reply["in_reply_to"].Should().BeNull();
        reply.ContainsKey("msg_id").Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(ServiceIds))]
    public void A_request_of_unknown_type_gets_no_reply_and_leaves_a_warning(string serviceId)
    {
        var service = Register(serviceId);
        var known = serviceId == "lin-tso" ? """{"type":"ts"}""" : """{"type":"read","key":1}""";

        var unknownId = _harness.Send("n1", serviceId, """{"type":"frobnicate","key":1}""");
        var knownId = _harness.Send("n0", serviceId, known);

        // The network delivers in order, so a reply to the unknown request would have come first.
        _harness.NextReply()["in_reply_to"]!.GetValue<long>().Should().Be(knownId, $"request {unknownId} has no reply");
        _harness.PendingReplies.Should().Be(0);
        service.Warnings.Should().ContainSingle().Which.Should().Contain(serviceId).And.Contain("n1").And.Contain("\"frobnicate\"");
    }

    [Fact]
    public void A_request_with_no_type_or_a_type_that_is_not_a_string_gets_no_reply()
    {
        var linKv = new LinKvService(_harness.Network);

        ServiceHarness.Ask(linKv, "n0", """{"key":1,"value":2}""").Should().BeNull();
        ServiceHarness.Ask(linKv, "n0", """{"type":1,"key":1,"value":2}""").Should().BeNull();

        linKv.Warnings.Should().HaveCount(2);
        linKv.Writes.Should().Be(0);
    }

    [Fact]
    public void Lin_kv_answers_read_write_cas_with_maelstroms_codes_and_texts()
    {
        Register("lin-kv");

        ShouldBeError(Call("n0", """{"type":"read","key":1}"""), 20, "key does not exist");
        Type(Call("n0", """{"type":"write","key":1,"value":[1]}""")).Should().Be("write_ok");
        Call("n1", """{"type":"read","key":1}""")["value"]!.ToJsonString().Should().Be("[1]");
        ShouldBeError(Call("n0", """{"type":"cas","key":1,"from":[2],"to":3}"""), 22, "current value [1] is not [2]");
        Type(Call("n0", """{"type":"cas","key":1,"from":[1],"to":3}""")).Should().Be("cas_ok");
        Call("n1", """{"type":"read","key":1}""")["value"]!.GetValue<int>().Should().Be(3);
        ShouldBeError(Call("n0", """{"type":"cas","key":2,"from":0,"to":1}"""), 20, "key does not exist");
        Type(Call("n0", """{"type":"cas","key":2,"from":0,"to":1,"create_if_not_exists":true}""")).Should().Be("cas_ok");
        Call("n1", """{"type":"read","key":2}""")["value"]!.GetValue<int>().Should().Be(1);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("0", true)]
    [InlineData("\"\"", true)]
    [InlineData("[]", true)]
    [InlineData("{}", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void Cas_on_a_missing_key_creates_it_when_create_if_not_exists_is_truthy_in_clojures_sense(string flag, bool creates)
    {
        var linKv = new LinKvService(_harness.Network);

        var reply = ServiceHarness.Ask(linKv, "n0", $$"""{"type":"cas","key":"k","from":1,"to":2,"create_if_not_exists":{{flag}}}""")!;

        if (creates)
        {
            Type(reply).Should().Be("cas_ok");
            linKv.Peek("\"k\"").Value!.GetValue<int>().Should().Be(2);
        }
        else
        {
            ShouldBeError(reply, 20, "key does not exist");
            linKv.Peek("\"k\"").Found.Should().BeFalse();
        }
    }

    [Fact]
    public void Keys_and_values_compare_as_clojure_compares_the_parsed_json()
    {
        var linKv = new LinKvService(_harness.Network);

        ServiceHarness.Ask(linKv, "n0", """{"type":"write","key":{"a":1,"b":[2,3]},"value":{"x":1,"y":"\u0041"}}""");

        // Member order and string escapes do not matter; 1 and 1.0 are different (a long and a double).
        ServiceHarness.Ask(linKv, "n0", """{"type":"read","key":{"b":[2,3],"a":1}}""")!["value"]!["y"]!.GetValue<string>().Should().Be("A");
        Code(ServiceHarness.Ask(linKv, "n0", """{"type":"read","key":{"a":1.0,"b":[2,3]}}""")!).Should().Be(20);
        Type(ServiceHarness.Ask(linKv, "n0", """{"type":"cas","key":{"a":1,"b":[2,3]},"from":{"y":"A","x":1},"to":1.0}""")!).Should().Be("cas_ok");
        Code(ServiceHarness.Ask(linKv, "n0", """{"type":"cas","key":{"a":1,"b":[2,3]},"from":1,"to":2}""")!).Should().Be(22);
        Type(ServiceHarness.Ask(linKv, "n0", """{"type":"cas","key":{"a":1,"b":[2,3]},"from":1e0,"to":2}""")!).Should().Be("cas_ok");
    }

    [Fact]
    public void Lin_kv_counts_writes_and_peeks_at_its_newest_state()
    {
        var linKv = new LinKvService(_harness.Network);

        ServiceHarness.Ask(linKv, "n0", """{"type":"write","key":7,"value":"v"}""");
        ServiceHarness.Ask(linKv, "n0", """{"type":"cas","key":7,"from":"w","to":"x"}""");
        ServiceHarness.Ask(linKv, "n0", """{"type":"read","key":7}""");

        linKv.Writes.Should().Be(2, "write and cas requests count whether or not they change anything");
        linKv.Peek("7").Should().Match<(bool Found, JsonNode? Value)>(p => p.Found && p.Value!.GetValue<string>() == "v");
        linKv.Peek("8").Found.Should().BeFalse();
    }

    [Fact]
    public void Lin_tso_hands_out_0_1_2_and_so_on()
    {
        Register("lin-tso");

        var stamps = Enumerable.Range(0, 20).Select(_ => Call("n0", """{"type":"ts"}""", "lin-tso")["ts"]!.GetValue<long>()).ToList();

        stamps.Should().Equal(Enumerable.Range(0, 20).Select(i => (long)i));
    }

    private ServiceEndpoint Register(string serviceId)
    {
        ServiceEndpoint service = serviceId switch
        {
            "lin-kv" => new LinKvService(_harness.Network),
            "seq-kv" => new SeqKvService(_harness.Network, new Random(1)),
            "lww-kv" => new LwwKvService(_harness.Network, new Random(1)),
            _ => new LinTsoService(_harness.Network),
        };
        _harness.Network.Register(service);
        return service;
    }

    private JsonObject Call(string src, string body, string service = "lin-kv") => _harness.Call(src, service, body);

    private static string Type(JsonObject reply) => reply["type"]!.GetValue<string>();

    private static int Code(JsonObject reply) => reply["code"]!.GetValue<int>();

    private static void ShouldBeError(JsonObject reply, int code, string text)
    {
        Type(reply).Should().Be("error");
        Code(reply).Should().Be(code);
        reply["text"]!.GetValue<string>().Should().Be(text);
    }
}
