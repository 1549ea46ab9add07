using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.UnitTests.TestDoubles;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>
/// A node that has not been initialized answers a peer's <c>recover</c> with a code of its own, and an owner
/// recognises it by that code alone: such a peer has just started and holds nothing for anyone. Clients
/// still get error 11, with its usual text, before <c>init</c>.
/// </summary>
public sealed class PeerNotInitializedTests
{
    private static readonly NodeOptions WriteBehindOverLinKv = new() { Strategy = StrategyKind.WriteBehind, Database = DatabaseKind.LinKv };

    [Fact]
    public async Task Recover_before_init_gets_the_peer_code_while_a_client_read_gets_error_11()
    {
        await using var node = InProcessNode.Start(WriteBehindOverLinKv);

        await node.SendAsync("n2", """{"type":"recover","msg_id":1,"inc":1}""");
        var recover = (await node.NextToAsync("n2"))["body"]!;
        await node.SendAsync("c1", """{"type":"read","msg_id":2,"key":1}""");
        var read = (await node.NextToAsync("c1"))["body"]!;

        recover["type"]!.GetValue<string>().Should().Be("error");
        recover["code"]!.GetValue<int>().Should().Be((int)ErrorCode.PeerNotInitialized).And.Be(1101);
        read["code"]!.GetValue<int>().Should().Be(11);
        read["text"]!.GetValue<string>().Should().Be("node is not initialized yet: send init first");
    }

    [Fact]
    public async Task Owner_counts_itself_recovered_from_a_backup_that_answers_with_the_peer_code()
    {
        await using var node = InProcessNode.Start(WriteBehindOverLinKv);
        await node.SendAsync("c1", """{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1","n2"]}""");
        (await node.NextToAsync("c1"))["body"]!["type"]!.GetValue<string>().Should().Be("init_ok");

        var recover = (await node.NextToAsync("n2"))["body"]!;
        recover["type"]!.GetValue<string>().Should().Be("recover");
        await node.SendAsync("n2", $$"""{"type":"error","code":1101,"text":"not initialized","in_reply_to":{{recover["msg_id"]}}}""");

        // Nothing to take back from a peer that has just started: the owner goes on to renew custody
        // rather than ask to recover again.
        (await node.NextToAsync("n2"))["body"]!["type"]!.GetValue<string>().Should().Be("backup");
    }
}
