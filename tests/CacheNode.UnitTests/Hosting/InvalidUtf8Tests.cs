using System.Text;
using System.Text.Json;
using CacheNode.Configuration;
using CacheNode.Diagnostics;
using CacheNode.Hosting;

namespace CacheNode.UnitTests.Hosting;

/// <summary>JSON strings may hold any bytes: invalid UTF-8 must never be decoded into U+FFFD and served.</summary>
public sealed class InvalidUtf8Tests
{
    [Fact]
    public async Task Invalid_utf8_in_a_body_field_is_error_12_naming_it_and_two_such_keys_never_meet()
    {
        var (replies, stderr) = await RunAsync(
            Line("""{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}"""),
            Line("{\"type\":\"write\",\"msg_id\":2,\"key\":\"", 0xFF, "\",\"value\":1}"),
            Line("{\"type\":\"read\",\"msg_id\":3,\"key\":\"", 0xFE, "\"}"),
            Line("{\"type\":\"write\",\"msg_id\":4,\"key\":1,\"value\":{\"a\":[\"", 0xE2, 0x82, "\"]}}"),
            Line("{\"type\":\"echo\",\"msg_id\":5,\"e", 0xC0, "cho\":1}"),
            Line("""{"type":"echo","msg_id":6,"echo":"café 😀"}"""));

        replies.Should().Equal(
            "1 init_ok",
            "2 error 12 malformed write: field key is not valid UTF-8",
            "3 error 12 malformed read: field key is not valid UTF-8",
            "4 error 12 malformed write: field value is not valid UTF-8",
            "5 error 12 malformed echo: a field name is not valid UTF-8",
            "6 echo_ok");
        stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Invalid_utf8_in_the_envelope_or_the_type_is_dropped_with_a_log_line()
    {
        var (replies, stderr) = await RunAsync(
            Line("""{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}"""),
            Encoding.UTF8.GetBytes("{\"src\":\"c1").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":2,\"echo\":1}}\n")).ToArray(),
            Line("{\"type\":\"ec", 0xFF, "ho\",\"msg_id\":3,\"echo\":1}"),
            Line("""{"type":"echo","msg_id":4,"echo":"still here"}"""));

        replies.Should().Equal("1 init_ok", "4 echo_ok");
        stderr.Should().Contain("src, dest or another envelope field is not valid UTF-8")
            .And.Contain("body.type is not valid UTF-8");
    }

    private static async Task<(List<string> Replies, string Stderr)> RunAsync(params byte[][] lines)
    {
        var input = new MemoryStream(lines.SelectMany(line => line).ToArray());
        var output = new MemoryStream();
        var log = new StringWriter();
        var node = new Node(new NodeOptions(), input, output, new Log(log, LogLevel.Warn), TimeProvider.System);

        (await node.RunAsync()).Should().Be(0);

        var replies = new List<string>();
        foreach (var reply in Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(reply);
            var body = document.RootElement.GetProperty("body");
            var type = body.GetProperty("type").GetString();
            var inReplyTo = body.GetProperty("in_reply_to").GetInt64();
            replies.Add(type == "error" ? $"{inReplyTo} error {body.GetProperty("code").GetInt32()} {body.GetProperty("text").GetString()}" : $"{inReplyTo} {type}");
        }

        return (replies, log.ToString());
    }

    // A message from c1 to n1 whose body is made of text and raw bytes.
    private static byte[] Line(params object[] parts)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("""{"src":"c1","dest":"n1","body":"""));
        foreach (var part in parts)
        {
            bytes.AddRange(part is string text ? Encoding.UTF8.GetBytes(text) : [Convert.ToByte(part, System.Globalization.CultureInfo.InvariantCulture)]);
        }

        bytes.AddRange("}\n"u8.ToArray());
        return [.. bytes];
    }
}
