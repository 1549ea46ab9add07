using System.Text;
using CacheNode.Protocol;

namespace CacheNode.UnitTests.Protocol;

public sealed class EnvelopeParserTests
{
    [Fact]
    public void Parses_envelope_and_header_and_leaves_the_body_raw()
    {
        var line = "{\"id\":7,\"src\":\"c1\",\"dest\":\"n2\",\"body\":{\"key\":{\"msg_id\":9},\"type\":\"read\",\"msg_id\":3}}";

        var result = Parse(line, out var header, out var body);

        result.Should().Be(EnvelopeParseResult.Ok);
        header.Should().Be(new MessageHeader("c1", "n2", "read", 3, null));
        body.Should().Be("{\"key\":{\"msg_id\":9},\"type\":\"read\",\"msg_id\":3}");
    }

    [Fact]
    public void Reply_carries_in_reply_to()
    {
        Parse("{\"src\":\"lin-kv\",\"dest\":\"n1\",\"body\":{\"type\":\"read_ok\",\"value\":1,\"in_reply_to\":4}}", out var header, out _);

        header!.InReplyTo.Should().Be(4);
        header.MsgId.Should().BeNull();
    }

    [Theory]
    [InlineData("not json", "NotJson")]
    [InlineData("[1,2]", "NotJson")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}} trailing", "NotJson")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"", "NotJson")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\"}", "NoType")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"msg_id\":1}}", "NoType")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":5,\"msg_id\":1}}", "NoType")]
    [InlineData("{\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":1}}", "NoRoute")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":\"1\"}}", "BadHeader")]
    [InlineData("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":1.5}}", "BadHeader")]
    public void Classifies_bad_lines_by_whether_a_reply_is_possible(string line, string expected)
    {
        Parse(line, out _, out _).Should().Be(Enum.Parse<EnvelopeParseResult>(expected));
    }

    private static EnvelopeParseResult Parse(string line, out MessageHeader? header, out string body)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var result = new EnvelopeParser().Parse(bytes, out header, out var range, out _);
        body = result == EnvelopeParseResult.Ok ? Encoding.UTF8.GetString(bytes.AsSpan()[range]) : string.Empty;
        return result;
    }
}
