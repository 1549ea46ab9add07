using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Services;

namespace CacheNode.Maelstrom.Tests.Services;

/// <summary>
/// lww-kv as service.clj's Eventual wrapper makes it: two LWWKV replicas, each request applied to one at
/// random, and (because the merge's result is discarded) never reconciled.
/// </summary>
public sealed class LwwKvServiceTests : IAsyncLifetime
{
    private readonly ServiceHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void The_two_replicas_never_converge()
    {
        var lwwKv = new LwwKvService(_harness.Network, new Random(7));

        Type(Ask(lwwKv, "n0", """{"type":"write","key":"k","value":1}""")).Should().Be("write_ok");
        var reads = Enumerable.Range(0, 400).Select(_ => Ask(lwwKv, "n0", """{"type":"read","key":"k"}""")).ToList();

        reads.Should().OnlyContain(r => (Type(r) == "read_ok" && r["value"]!.GetValue<int>() == 1) || r["code"]!.GetValue<int>() == 20);
        reads.Should().Contain(r => Type(r) == "read_ok", "the replica written to has the value");
        reads.TakeLast(100).Should().Contain(r => Type(r) == "error", "the other replica still lacks it after hundreds of requests");
    }

    [Fact]
    public void After_writes_to_both_replicas_reads_flip_between_two_values_for_good()
    {
        var lwwKv = new LwwKvService(_harness.Network, new Random(8));
        for (var value = 1; value <= 10; value++)
        {
            Ask(lwwKv, "n0", $$"""{"type":"write","key":"k","value":{{value}}}""");
        }

        var seen = Enumerable.Range(0, 400).Select(_ => Ask(lwwKv, "n0", """{"type":"read","key":"k"}""")["value"]!.GetValue<int>()).ToList();

        // Each replica holds the last of the writes it took; the one that took the 10th write is not
        // the only one read, and never catches the other up.
        seen.Distinct().Should().HaveCount(2).And.Contain(10);
        seen.TakeLast(100).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void A_replica_answers_read_write_cas_like_lwwkv_and_cas_never_creates()
    {
        var replica = LwwKv.Empty;

        ShouldBeError(Apply(ref replica, """{"type":"read","key":"k"}"""), 20, "key does not exist");
        ShouldBeError(Apply(ref replica, """{"type":"cas","key":"k","from":1,"to":2,"create_if_not_exists":true}"""), 20, "key does not exist");
        Type(Apply(ref replica, """{"type":"write","key":"k","value":"a"}""")).Should().Be("write_ok");
        Apply(ref replica, """{"type":"read","key":"k"}""")["value"]!.GetValue<string>().Should().Be("a");

        // service.clj prints the expected value with str, not pr-str: a string loses its quotes.
        ShouldBeError(Apply(ref replica, """{"type":"cas","key":"k","from":"b","to":"c"}"""), 22, "current value \"a\" is not b");
        Type(Apply(ref replica, """{"type":"cas","key":"k","from":"a","to":"c"}""")).Should().Be("cas_ok");
        Apply(ref replica, """{"type":"read","key":"k"}""")["value"]!.GetValue<string>().Should().Be("c");
        replica.Handle(JsonNode.Parse("""{"type":"frobnicate"}""")!.AsObject()).Should().BeNull();
    }

    [Fact]
    public void A_request_of_unknown_type_gets_no_reply_and_leaves_a_warning()
    {
        var lwwKv = new LwwKvService(_harness.Network, new Random(9));

        lwwKv.Answer("n1", JsonNode.Parse("""{"type":"ts","msg_id":4}""")!.AsObject()).Should().BeNull();

        lwwKv.Warnings.Should().ContainSingle().Which.Should().Contain("lww-kv").And.Contain("n1").And.Contain("\"ts\"");
    }

    private static JsonObject Apply(ref LwwKv replica, string body)
    {
        var outcome = replica.Handle(JsonNode.Parse(body)!.AsObject());
        outcome.Should().NotBeNull();
        replica = outcome!.Value.Next;
        return outcome.Value.Reply;
    }

    private static JsonObject Ask(ServiceEndpoint service, string src, string body) => ServiceHarness.Ask(service, src, body)!;

    private static string Type(JsonObject reply) => reply["type"]!.GetValue<string>();

    private static void ShouldBeError(JsonObject reply, int code, string text)
    {
        Type(reply).Should().Be("error");
        reply["code"]!.GetValue<int>().Should().Be(code);
        reply["text"]!.GetValue<string>().Should().Be(text);
    }
}
