using CacheNode.IntegrationTests.Harness;

namespace CacheNode.IntegrationTests.Lifecycle;

/// <summary>Start-up, configuration and shutdown of the real process.</summary>
public sealed class LifecycleTests
{
    private const string Init = """{"src":"c1","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("CACHENODE_STRATEGY", "write-sideways", "cachenode: CACHENODE_STRATEGY=write-sideways: expected one of write-through, cache-aside, write-behind, proxy")]
    [InlineData("CACHENODE_MAX_ENTRIES", "-5", "cachenode: CACHENODE_MAX_ENTRIES=-5: must be at least 1")]
    [InlineData("CACHENODE_LOG", "loud", "cachenode: CACHENODE_LOG=loud: expected one of error, warn, info, debug")]
    public async Task Bad_setting_stops_the_node_before_it_reads_anything(string variable, string value, string message)
    {
        await using var node = NodeProcess.Start(new Dictionary<string, string> { [variable] = value });

        var (exitCode, output) = await node.WaitForExitAsync(Wait);

        exitCode.Should().Be(2);
        output.Should().BeEmpty("stdout carries nothing but messages");
        node.Stderr.Trim().Should().Be(message);
    }

    [Fact]
    public async Task Help_lists_every_setting_and_exits_zero()
    {
        await using var node = NodeProcess.Start(args: ["--help"]);

        var (exitCode, output) = await node.WaitForExitAsync(Wait);

        exitCode.Should().Be(0);
        string.Join('\n', output).Should().Contain("CACHENODE_STRATEGY").And.Contain("--write-delay-ms");
    }

    [Fact]
    public async Task Version_prints_one_line_and_exits_zero()
    {
        await using var node = NodeProcess.Start(args: ["--version"]);

        var (exitCode, output) = await node.WaitForExitAsync(Wait);

        exitCode.Should().Be(0);
        output.Should().ContainSingle().Which.Should().MatchRegex(@"^cachenode \d+\.\d+\.\d+$");
    }

    [Fact]
    public async Task Sigterm_stops_taking_requests_drains_write_behind_to_lin_kv_and_exits_zero()
    {
        await using var node = NodeProcess.Start(new Dictionary<string, string>
        {
            ["CACHENODE_STRATEGY"] = "write-behind",
            ["CACHENODE_DB"] = "lin-kv",
            ["CACHENODE_WRITE_DELAY_MS"] = "600000",
        });
        await node.SendAsync(Init);
        (await node.ReadLineAsync(Wait)).Should().Contain("init_ok");
        await node.SendAsync("""{"src":"c1","dest":"n1","body":{"type":"write","msg_id":2,"key":1,"value":42}}""");
        (await node.ReadLineAsync(Wait)).Should().Contain("write_ok");

        node.Signal("TERM");

        // The acked write is flushed to lin-kv even though its delay is ten minutes.
        (await node.ReadLineAsync(Wait)).Should().Be("""{"src":"n1","dest":"lin-kv","body":{"type":"write","key":1,"value":42,"msg_id":2}}""");
        await node.SendAsync("""{"src":"c1","dest":"n1","body":{"type":"read","msg_id":3,"key":1}}""");
        (await node.ReadLineAsync(Wait)).Should().Be("""{"src":"n1","dest":"c1","body":{"type":"error","code":11,"text":"node is shutting down","in_reply_to":3,"msg_id":3}}""");
        await node.SendAsync("""{"src":"lin-kv","dest":"n1","body":{"type":"write_ok","in_reply_to":2}}""");

        var (exitCode, rest) = await node.WaitForExitAsync(Wait);
        exitCode.Should().Be(0, node.Stderr);
        rest.Should().BeEmpty();
        node.Stderr.Should().Contain("received SIGTERM");
    }

    [Fact]
    public async Task End_of_input_with_writes_lin_kv_can_no_longer_take_says_so_and_exits_non_zero()
    {
        await using var node = NodeProcess.Start(new Dictionary<string, string>
        {
            ["CACHENODE_STRATEGY"] = "write-behind",
            ["CACHENODE_DB"] = "lin-kv",
            ["CACHENODE_WRITE_DELAY_MS"] = "600000",
            ["CACHENODE_DB_TIMEOUT_MS"] = "100",
            ["CACHENODE_DRAIN_TIMEOUT_MS"] = "500",
        });
        await node.SendAsync(Init);
        await node.ReadLineAsync(Wait);
        await node.SendAsync("""{"src":"c1","dest":"n1","body":{"type":"write","msg_id":2,"key":1,"value":42}}""");
        (await node.ReadLineAsync(Wait)).Should().Contain("write_ok");

        // lin-kv is reached through stdin and stdout: once stdin is closed, no reply can come back.
        node.CloseInput();
        var (exitCode, _) = await node.WaitForExitAsync(Wait);

        exitCode.Should().Be(1);
        node.Stderr.Should().Contain("1 acknowledged writes could not be written to lin-kv before exit");
    }

    [Fact]
    public async Task End_of_input_drains_write_behind_into_the_local_database_and_exits_zero()
    {
        await using var node = NodeProcess.Start(new Dictionary<string, string>
        {
            ["CACHENODE_STRATEGY"] = "write-behind",
            ["CACHENODE_WRITE_DELAY_MS"] = "600000",
            ["CACHENODE_LOG"] = "debug",
        });
        await node.SendAsync(Init);
        for (var i = 0; i < 100; i++)
        {
            await node.SendAsync($$$"""{"src":"c1","dest":"n1","body":{"type":"write","msg_id":{{{i + 2}}},"key":{{{i}}},"value":{{{i}}}}}""");
        }

        node.CloseInput();
        var (exitCode, output) = await node.WaitForExitAsync(Wait);

        exitCode.Should().Be(0, node.Stderr);
        output.Should().HaveCount(101, "init_ok and one write_ok per write").And.Contain(l => l.Contains("init_ok"));
        node.Stderr.Should().Contain("end of input: draining").And.NotContain("could not be written");
    }
}
