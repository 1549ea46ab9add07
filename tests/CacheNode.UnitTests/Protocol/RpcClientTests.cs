using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.UnitTests.Protocol;

/// <summary>Which replies complete a request: only the right node's, of the right type.</summary>
public sealed class RpcClientTests
{
    [Fact]
    public async Task Only_a_reply_of_the_requested_type_or_an_error_from_the_node_asked_completes_the_call()
    {
        var output = new MemoryStream();
        await using var writer = new MessageWriter(output);
        var rpc = new RpcClient(writer, () => "n1", TimeProvider.System);

        var call = rpc.CallAsync("n2", new FillRequest { Key = RawJson.FromInt(1) }, TimeSpan.FromMinutes(1));

        // A late reply to an earlier run's request with the same id, or an answer from someone else.
        rpc.TryComplete(0, new RpcReply("n2", "revoke_ok", "{}"u8.ToArray())).Should().BeFalse();
        rpc.TryComplete(0, new RpcReply("n3", "fill_ok", "{}"u8.ToArray())).Should().BeFalse();
        call.IsCompleted.Should().BeFalse();

        rpc.TryComplete(0, new RpcReply("n2", "fill_ok", """{"value":5,"lease":true}"""u8.ToArray())).Should().BeTrue();
        (await call).Type.Should().Be("fill_ok");

        var failed = rpc.CallAsync("n2", new FillRequest { Key = RawJson.FromInt(1) }, TimeSpan.FromMinutes(1));
        rpc.TryComplete(1, new RpcReply("n2", "error", """{"code":11}"""u8.ToArray())).Should().BeTrue();
        (await failed).IsError.Should().BeTrue();
    }

    [Fact]
    public async Task A_reply_from_the_node_named_to_answer_for_the_one_asked_completes_the_call_and_no_one_elses()
    {
        var output = new MemoryStream();
        await using var writer = new MessageWriter(output);
        var rpc = new RpcClient(writer, () => "n1", TimeProvider.System);

        var call = rpc.CallAsync("n2", new WriteRequest { Key = RawJson.FromInt(1), Value = RawJson.FromInt(2) }, TimeSpan.FromMinutes(1), alsoFrom: "n3");

        rpc.TryComplete(0, new RpcReply("n4", "write_ok", "{}"u8.ToArray())).Should().BeFalse("only the owner and its backup may answer");
        rpc.TryComplete(0, new RpcReply("n3", "write_ok", "{}"u8.ToArray())).Should().BeTrue();
        rpc.TryComplete(0, new RpcReply("n2", "write_ok", "{}"u8.ToArray())).Should().BeFalse("the first reply wins; the owner's own comes late");
        (await call).Src.Should().Be("n3");
    }
}
