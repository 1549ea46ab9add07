using System.Text.Json.Nodes;
using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.UnitTests.TestDoubles;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>
/// Write-behind in one round trip, on the wire, with node n1 of n1..n3 in process and its peers scripted
/// (n1's backup is n2; n1 is n3's backup): a forwarded write's copy carries an answer, the backup acks the
/// forwarder once it holds the copy, the forwarder takes that ack (its own, without a message, when it is
/// the backup), and an owner that never heard back keeps the write and hides it until a copy is confirmed.
/// </summary>
public sealed class ChainedWireTests
{
    private static readonly NodeOptions WriteBehindOverLinKv = new() { Strategy = StrategyKind.WriteBehind, Database = DatabaseKind.LinKv };
    private static readonly KeyOwnership Ownership = new(["n1", "n2", "n3"]);

    [Fact]
    public async Task Owner_that_never_hears_back_keeps_the_forwarded_write_hidden_until_a_copy_is_confirmed()
    {
        await using var node = await StartAsync();
        var key = KeyOwnedBy("n1");

        await node.SendAsync("n3", $$"""{"type":"write","msg_id":77,"key":{{key}},"value":5}""");
        var copy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is not null);
        copy["body"]!["answer"]!.ToJsonString().Should().Be("""{"to":"n3","in_reply_to":77,"type":"write_ok"}""");
        var version = copy["body"]!["entries"]![0]!["version"]!.GetValue<long>();

        // No try is answered: the owner tells the forwarder the outcome is unknown...
        var failed = (await node.NextToAsync("n3"))["body"]!;
        failed["in_reply_to"]!.GetValue<long>().Should().Be(77);
        failed["code"]!.GetValue<int>().Should().Be(0);

        // ...but keeps the write (the backup may have acked it): copied again, never dropped.
        var recopy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is null && Mentions(body, key));
        recopy["body"]!["entries"]!.AsArray().Select(entry => (entry!["key"]!.ToJsonString(), entry["value"]!.ToJsonString(), entry["version"]!.GetValue<long>()))
            .Should().ContainSingle().Which.Should().Be((key, "5", version));
        (recopy["body"]!["flushed"]?.AsArray() ?? []).Should().BeEmpty("a drop of an answered version could erase the only other copy of an acked write");

        // Not confirmed yet: it may be on this node alone, so it is neither shown nor hidden.
        (await ReadAsync(node, key, msgId: 1))["code"]!.GetValue<int>().Should().Be(11);

        await ReplyBackupOkAsync(node, recopy);
        // The confirmation lands on its own continuation: a read just after it may still be refused.
        JsonNode? read = null;
        var attempt = 10;
        await Eventually.TrueAsync(
            async () => Type(read = await ReadAsync(node, key, attempt++)) == "read_ok",
            "the confirmed value should be readable");
        read!["value"]!.GetValue<int>().Should().Be(5);
    }

    [Fact]
    public async Task An_owner_holding_custody_flushes_no_unconfirmed_value_until_a_copy_is_confirmed()
    {
        // Custody long enough to outlast the test's every step: what keeps the value out of the database must
        // be its missing confirmation. (The backup may hold an older dirty copy of the key and write it over
        // this one as an orphan; independent review of the chain.)
        await using var node = await StartAsync(leaseMs: 20_000);
        var key = KeyOwnedBy("n1");

        await node.SendAsync("n3", $$"""{"type":"write","msg_id":77,"key":{{key}},"value":5}""");
        var failed = (await node.NextToAsync("n3"))["body"]!;
        failed["code"]!.GetValue<int>().Should().Be(0, "no try was answered: {0}", failed.ToJsonString());
        var recopy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is null && Mentions(body, key));

        // Ten write delays: a value that may be flushed would be in the database by then.
        await Task.Delay(500);
        node.SentSoFar("lin-kv").Where(message => Mentions(message["body"]!, key)).Should().BeEmpty("no copy of the value is confirmed");

        await ReplyBackupOkAsync(node, recopy);
        var write = await node.NextMatchingAsync("lin-kv", body => Type(body) == "write" && body["key"]!.ToJsonString() == key);
        write["body"]!["value"]!.GetValue<int>().Should().Be(5);
        await node.SendAsync("lin-kv", $$"""{"type":"write_ok","in_reply_to":{{write["body"]!["msg_id"]}}}""");
    }

    [Fact]
    public async Task A_late_ack_from_a_run_of_the_backup_that_has_restarted_since_confirms_nothing()
    {
        // Tries long enough that the late reply lands while its try still waits, even on a loaded machine.
        await using var node = await StartAsync(peerTimeoutMs: 1000);
        var keys = Enumerable.Range(1, 1000).Select(i => RawJson.FromInt(i)).Where(key => Ownership.OwnerOf(key) == "n1").Take(2).Select(key => key.ToString()).ToArray();
        var (late, other) = (keys[0], keys[1]);

        await node.SendAsync("n3", $$"""{"type":"write","msg_id":77,"key":{{late}},"value":5}""");
        var copy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is not null && Mentions(body, late));
        await node.SendAsync("n3", $$"""{"type":"write","msg_id":78,"key":{{other}},"value":6}""");
        var otherCopy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is not null && Mentions(body, other));

        // n2 restarted (run 6 says the copy was addressed to its earlier run, 5)
        await node.SendAsync("n2", $$"""{"type":"backup_ok","inc":{{otherCopy["body"]!["inc"]}},"backup_inc":6,"custody":false,"stored":false,"in_reply_to":{{otherCopy["body"]!["msg_id"]}}}""");
        // (the owner knows it once it tries run 6)...
        await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is not null && Mentions(body, other) && body["backup_inc"]!.GetValue<long>() == 6);
        // ...and run 5's ack of the first copy arrives after that: run 5 held it, answered n3, and died.
        await node.SendAsync("n2", $$"""{"type":"backup_ok","inc":{{copy["body"]!["inc"]}},"backup_inc":5,"custody":true,"stored":true,"in_reply_to":{{copy["body"]!["msg_id"]}}}""");

        // The owner tries the live run, which refuses the copy: the write may have been acked by run 5, so it
        // is not abandoned (a definite error would be a lie) but kept, hidden, and copied again.
        var retry = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is not null && Mentions(body, late));
        retry["body"]!["backup_inc"]!.GetValue<long>().Should().Be(6);
        await node.SendAsync("n2", $$"""{"type":"error","code":14,"text":"busy","in_reply_to":{{retry["body"]!["msg_id"]}}}""");
        var reply = (await node.NextMatchingAsync("n3", body => body["in_reply_to"]!.GetValue<long>() == 77))["body"]!;
        reply["code"]?.GetValue<int>().Should().Be(0, "a copy held only by a dead run of the backup is no second copy, and the write may have been acked: {0}", reply.ToJsonString());
        var recopy = await node.NextMatchingAsync("n2", body => Type(body) == "backup" && body["answer"] is null && Mentions(body, late));
        (recopy["body"]!["flushed"]?.AsArray() ?? []).Should().BeEmpty("the write is kept");
        (await ReadAsync(node, late, msgId: 1))["code"]!.GetValue<int>().Should().Be(11);
    }

    [Fact]
    public async Task Backup_acks_the_forwarders_request_once_it_holds_the_copy_and_never_when_it_does_not()
    {
        await using var node = await StartAsync();
        var key = KeyOwnedBy("n3");
        var incarnation = await BackupIncarnationAsync(node);

        // Held: answered. Then refused (an earlier run of n3 than one already seen), and addressed to an
        // earlier run of n1 (not stored): no answer. Then held again: answered.
        await node.SendAsync("n3", Copy(inc: 2000, backupInc: 0, key, version: 2_000_000, answerTo: 10));
        (await node.NextToAsync("n3"))["body"]!["type"]!.GetValue<string>().Should().Be("backup_ok");
        await node.SendAsync("n3", Copy(inc: 1000, backupInc: 0, key, version: 1_000_000, answerTo: 11));
        (await node.NextToAsync("n3"))["body"]!["code"]!.GetValue<int>().Should().Be(11);
        await node.SendAsync("n3", Copy(inc: 2000, backupInc: incarnation - 1, key, version: 2_000_001, answerTo: 12));
        (await node.NextToAsync("n3"))["body"]!["stored"]!.GetValue<bool>().Should().BeFalse();
        await node.SendAsync("n3", Copy(inc: 2000, backupInc: incarnation, key, version: 2_000_002, answerTo: 13));
        (await node.NextToAsync("n3"))["body"]!["stored"]!.GetValue<bool>().Should().BeTrue();

        var answers = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var answer = await node.NextMatchingAsync("n2", body => Type(body) == "write_ok");
            answers.Add(answer["body"]!["in_reply_to"]!.GetValue<long>());
        }

        answers.Should().Equal([10, 13], "only copies held here are acked for the owner");
    }

    [Fact]
    public async Task Forwarder_takes_the_owners_backups_ack_and_its_own_when_it_is_that_backup()
    {
        await using var node = await StartAsync();

        // Owner n2, whose backup n3 answers for it.
        var ofN2 = KeyOwnedBy("n2");
        await node.SendAsync("c1", $$"""{"type":"write","msg_id":1,"key":{{ofN2}},"value":1}""");
        var forwarded = await node.NextMatchingAsync("n2", body => Type(body) == "write");
        await node.SendAsync("n3", $$"""{"type":"write_ok","in_reply_to":{{forwarded["body"]!["msg_id"]}}}""");
        var reply = (await node.NextToAsync("c1"))["body"]!;
        reply["type"]!.GetValue<string>().Should().Be("write_ok", reply.ToJsonString());

        // Owner n3, whose backup is this node: the copy's answer completes this node's own request.
        var ofN3 = KeyOwnedBy("n3");
        await node.SendAsync("c1", $$"""{"type":"write","msg_id":2,"key":{{ofN3}},"value":2}""");
        var toOwner = await node.NextMatchingAsync("n3", body => Type(body) == "write");
        var msgId = toOwner["body"]!["msg_id"]!.GetValue<long>();
        await node.SendAsync("n3", $$$"""{"type":"backup","msg_id":60,"inc":3000,"entries":[{"key":{{{ofN3}}},"value":2,"version":3000000}],"answer":{"to":"n1","in_reply_to":{{{msgId}}},"type":"write_ok"}}""");
        var acked = (await node.NextToAsync("c1"))["body"]!;
        acked["type"]!.GetValue<string>().Should().Be("write_ok", acked.ToJsonString());
        acked["in_reply_to"]!.GetValue<long>().Should().Be(2);
    }

    // n1 initialized in a cluster of three, recovered from its backup n2 and holding custody, so its keys are served.
    private static async Task<InProcessNode> StartAsync(int peerTimeoutMs = 100, int? leaseMs = null)
    {
        // Short tries to the backup; a forward that outlasts a loaded machine; a short drain at the end (a node
        // left with an unflushable dirty entry waits that long before it exits).
        var node = InProcessNode.Start(WriteBehindOverLinKv with { LeaseMs = leaseMs ?? WriteBehindOverLinKv.LeaseMs, PeerTimeoutMs = peerTimeoutMs, ForwardTimeoutMs = 10_000, DrainTimeoutMs = 500 });
        await node.SendAsync("c0", """{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1","n2","n3"]}""");
        (await node.NextToAsync("c0"))["body"]!["type"]!.GetValue<string>().Should().Be("init_ok");
        var recover = await node.NextMatchingAsync("n2", body => Type(body) == "recover");
        await node.SendAsync("n2", $$"""{"type":"error","code":1101,"text":"not initialized","in_reply_to":{{recover["body"]!["msg_id"]}}}""");
        await ReplyBackupOkAsync(node, await node.NextMatchingAsync("n2", body => Type(body) == "backup"));
        // The reply is taken on its own continuation: the node serves its keys once it says so. On a loaded
        // machine the reply may come after the heartbeat gave up: later heartbeats are answered too.
        var probe = 1000;
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var heartbeat in node.SentSoFar("n2").Where(message => Type(message["body"]!) == "backup"))
                {
                    await ReplyBackupOkAsync(node, heartbeat);
                }

                await node.SendAsync("c0", $$"""{"type":"stats","msg_id":{{probe++}}}""");
                return (await node.NextToAsync("c0"))["body"]!["recovering"]?.GetValue<bool>() == false;
            },
            "n1 should have recovered from its backup");
        return node;
    }

    // This node's run, as a backup names it in its replies.
    private static async Task<long> BackupIncarnationAsync(InProcessNode node)
    {
        await node.SendAsync("n3", """{"type":"backup","msg_id":40,"inc":2000}""");
        return (await node.NextToAsync("n3"))["body"]!["backup_inc"]!.GetValue<long>();
    }

    private static string Copy(long inc, long backupInc, string key, long version, long answerTo) =>
        $$$"""{"type":"backup","msg_id":{{{50 + answerTo}}},"inc":{{{inc}}},"backup_inc":{{{backupInc}}},"entries":[{"key":{{{key}}},"value":7,"version":{{{version}}}}],"answer":{"to":"n2","in_reply_to":{{{answerTo}}},"type":"write_ok"}}""";

    private static async Task ReplyBackupOkAsync(InProcessNode node, JsonNode request)
    {
        var body = request["body"]!;
        await node.SendAsync("n2", $$"""{"type":"backup_ok","inc":{{body["inc"]}},"backup_inc":5,"custody":true,"stored":true,"in_reply_to":{{body["msg_id"]}}}""");
    }

    private static async Task<JsonNode> ReadAsync(InProcessNode node, string key, int msgId)
    {
        await node.SendAsync("c1", $$"""{"type":"read","msg_id":{{msgId}},"key":{{key}}}""");
        return (await node.NextToAsync("c1"))["body"]!;
    }

    private static string Type(JsonNode body) => body["type"]!.GetValue<string>();

    private static bool Mentions(JsonNode body, string key) =>
        body["key"]?.ToJsonString() == key
        || (body["entries"]?.AsArray() ?? []).Concat(body["flushed"]?.AsArray() ?? []).Any(entry => entry!["key"]!.ToJsonString() == key);

    private static string KeyOwnedBy(string owner) =>
        Enumerable.Range(1, 1000).Select(i => RawJson.FromInt(i)).First(key => Ownership.OwnerOf(key) == owner).ToString();
}
