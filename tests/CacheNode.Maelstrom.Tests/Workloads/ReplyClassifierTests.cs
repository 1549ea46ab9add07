using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

/// <summary>Maelstrom's client rules: idempotent reads, definite codes, and replies that must fit the RPC schema exactly.</summary>
public sealed class ReplyClassifierTests
{
    [Theory]
    [InlineData(null, true, (int)OpStatus.Fail)]
    [InlineData(null, false, (int)OpStatus.Info)]
    [InlineData("""{"type":"error","code":20,"text":"key does not exist"}""", true, (int)OpStatus.Fail)]
    [InlineData("""{"type":"error","code":13}""", true, (int)OpStatus.Fail)]
    [InlineData("""{"type":"error","code":13}""", false, (int)OpStatus.Info)]
    [InlineData("""{"type":"error","code":11}""", false, (int)OpStatus.Fail)]
    [InlineData("""{"type":"error","code":99}""", false, (int)OpStatus.Info)]
    [InlineData("""{"type":"error","code":"eleven"}""", false, (int)OpStatus.Info)]
    public void Timeouts_and_errors_fail_a_read_and_leave_a_write_indeterminate_unless_definite(string? reply, bool idempotent, int expected)
    {
        var body = reply is null ? null : JsonNode.Parse(reply)!.AsObject();

        ReplyClassifier.Classify(body, idempotent ? "read_ok" : "write_ok", idempotent, idempotent ? ["value"] : []).Status.Should().Be((OpStatus)expected);
    }

    [Theory]
    [InlineData("""{"type":"read_ok","value":3,"in_reply_to":1}""", (int)OpStatus.Ok)]
    [InlineData("""{"type":"read_ok","value":null,"in_reply_to":1,"msg_id":4}""", (int)OpStatus.Ok)]
    [InlineData("""{"type":"read_ok","in_reply_to":1}""", (int)OpStatus.Info)]
    [InlineData("""{"type":"read_ok","value":3,"node":"n1","in_reply_to":1}""", (int)OpStatus.Info)]
    [InlineData("""{"type":"read_ok","value":3,"in_reply_to":1,"msg_id":"4"}""", (int)OpStatus.Info)]
    [InlineData("""{"type":"write_ok","value":3,"in_reply_to":1}""", (int)OpStatus.Info)]
    public void A_reply_that_does_not_fit_the_schema_exactly_is_indeterminate_even_for_a_read(string reply, int expected) =>
        ReplyClassifier.Classify(JsonNode.Parse(reply)!.AsObject(), "read_ok", idempotent: true, "value").Status.Should().Be((OpStatus)expected);
}
