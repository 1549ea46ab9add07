using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.IntegrationTests.Harness;
using CacheNode.Strategies;

namespace CacheNode.IntegrationTests.Services;

/// <summary>The node over the lin-kv service, end to end through the real message format.</summary>
public sealed class LinKvDatabaseTests
{
    private const string Node = "n1";
    // Timeouts only the dropped replies must reach: a loaded machine can delay a real reply by
    // hundreds of milliseconds, and 300 ms with two tries failed a read about once in a few dozen CI runs.
    private static readonly NodeOptions LinKv = new() { Database = DatabaseKind.LinKv, DbTimeoutMs = 1000, DbReadAttempts = 3, RequestTimeoutMs = 15_000 };

    [Fact]
    public async Task Read_write_and_cas_go_through_the_service_and_keep_its_error_codes()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(LinKv, count: 1, expectCleanExit: true);

        (await cluster.RequestAsync(Node, """{"type":"read","key":1}""")).ShouldHave("code", 20);
        (await cluster.RequestAsync(Node, """{"type":"write","key":1,"value":{"v":[1]}}""")).ShouldHave("type", "write_ok");
        cluster.Service.ValueOf("1").Should().Be("""{"v":[1]}""");
        (await cluster.RequestAsync(Node, """{"type":"cas","key":1,"from":0,"to":2}""")).ShouldHave("code", 22);
        (await cluster.RequestAsync(Node, """{"type":"cas","key":1,"from":{"v":[1]},"to":2}""")).ShouldHave("type", "cas_ok");
        (await cluster.RequestAsync(Node, """{"type":"cas","key":5,"from":0,"to":2}""")).ShouldHave("code", 20);
        (await cluster.RequestAsync(Node, """{"type":"read","key":1}""")).ShouldHave("value", 2);
        cluster.Service.Received("read").Should().Be(1, "the read after the cas was a cache hit");
    }

    [Fact]
    public async Task Dropped_write_reply_is_an_indefinite_error_and_the_write_really_may_have_happened()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(LinKv, count: 1, expectCleanExit: true);
        cluster.Service.DropNextReplies(1);

        var reply = await cluster.RequestAsync(Node, """{"type":"write","key":3,"value":30}""");

        reply["code"]!.GetValue<int>().Should().Be(0, "a timeout may hide a write that happened");
        cluster.Service.ValueOf("3").Should().Be("30", "the service did apply it");
        (await cluster.RequestAsync(Node, """{"type":"read","key":3}"""))["value"]!.GetValue<int>().Should().Be(30, "nothing stale was cached");
    }

    [Fact]
    public async Task Dropped_read_reply_is_retried_transparently()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(LinKv, count: 1, expectCleanExit: true);
        cluster.Service.Seed("7", "70");
        cluster.Service.DropNextReplies(1);

        var reply = await cluster.RequestAsync(Node, """{"type":"read","key":7}""");

        reply["value"]?.GetValue<int>().Should().Be(70, $"the read was answered {reply.ToJsonString()}");
        cluster.Service.Received("read").Should().BeGreaterThanOrEqualTo(2, "the first reply was dropped, so the read was sent again");
    }

    [Fact]
    public async Task Thousand_concurrent_cold_reads_send_one_read_to_the_service()
    {
        await using var cluster = await MultiNodeCluster.StartAsync(LinKv with { DbTimeoutMs = 5000 }, count: 1, expectCleanExit: true);
        cluster.Service.Seed("\"hot\"", "42");

        var replies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => cluster.RequestAsync(Node, """{"type":"read","key":"hot"}""")));

        replies.Should().OnlyContain(r => r["value"]!.GetValue<int>() == 42);
        cluster.Service.Received("read").Should().Be(1);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    [InlineData("write-behind")]
    public async Task Read_that_starts_after_an_acked_write_never_returns_an_older_value(string strategy)
    {
        var kind = strategy switch { "cache-aside" => StrategyKind.CacheAside, "write-behind" => StrategyKind.WriteBehind, _ => StrategyKind.WriteThrough };
        // Generous timeouts: this test is about order, and on a loaded machine a request can stall for
        // longer than the default request_timeout_ms (900 ms), which would fail a write for no fault of the node.
        await using var cluster = await MultiNodeCluster.StartAsync(LinKv with { Strategy = kind, DbTimeoutMs = 5000, RequestTimeoutMs = 15_000, WriteDelayMs = 5 }, count: 1, expectCleanExit: true);
        cluster.Service.MaxReadReplyDelay = TimeSpan.FromMilliseconds(3);

        // One writer counts up; readers run alongside, and slow read replies let fills race the writes.
        // With one node in front of a linearizable service, a read that starts after write n was acked
        // must return at least n: a fill that installed a value from before a write would break that.
        var acked = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                var written = await cluster.RequestAsync(Node, $$"""{"type":"write","key":"r","value":{{i}}}""");
                written["type"]!.GetValue<string>().Should().Be("write_ok", $"write {i} was answered {written.ToJsonString()}");
                Volatile.Write(ref acked, i);
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!writer.IsCompleted)
            {
                var floor = Volatile.Read(ref acked);
                var reply = await cluster.RequestAsync(Node, """{"type":"read","key":"r"}""");
                if (reply["type"]!.GetValue<string>() == "read_ok")
                {
                    reply["value"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(floor, "the read began after that write was acked");
                }
            }
        })).ToList();

        await writer;
        await Task.WhenAll(readers);
        (await cluster.RequestAsync(Node, """{"type":"flush"}""")).ShouldHave("type", "flush_ok");
        cluster.Service.ValueOf("\"r\"").Should().Be("200");
    }
}
