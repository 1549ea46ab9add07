using System.Text;
using System.Text.Json;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.UnitTests.Protocol;

public sealed class RawJsonTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("-2.50e3", "-2.50e3")]
    [InlineData("\"1\"", "\"1\"")]
    [InlineData("\"caf\\u00e9 \\\"q\\\"\"", "\"caf\\u00e9 \\\"q\\\"\"")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    [InlineData("[ 1, [ ], { } ,\"a\" ]", "[1,[],{},\"a\"]")]
    [InlineData("{ \"b\" : [ 1 , { \"c\" : null } ] , \"a\" : \"x y\" }", "{\"b\":[1,{\"c\":null}],\"a\":\"x y\"}")]
    public void Value_is_kept_as_the_senders_compact_text(string json, string expected)
    {
        var request = Bind($"{{\"key\":{json},\"value\":{json}}}");

        request.Key.Text.Should().Be(expected);
        request.Value.Text.Should().Be(expected);
    }

    [Fact]
    public void Number_and_string_spellings_of_one_are_different_keys()
    {
        var number = Bind("{\"key\":1,\"value\":0}").Key;
        var text = Bind("{\"key\":\"1\",\"value\":0}").Key;

        number.Should().NotBe(text);
        number.Should().Be(Bind("{\"key\": 1 ,\"value\":0}").Key);
    }

    [Fact]
    public void Missing_value_is_an_error_but_null_is_a_value()
    {
        var missing = () => Bind("{\"key\":1}");

        missing.Should().Throw<JsonException>();
        Bind("{\"key\":1,\"value\":null}").Value.Should().Be(RawJson.Null);
    }

    [Fact]
    public void Value_is_written_back_verbatim()
    {
        var body = new ReadOk(new RawJson("{\"a\":[1,2.50,\"\\u00e9\"]}"));
        var json = JsonSerializer.Serialize(body, ProtocolJsonContext.Default.ReadOk);

        json.Should().Be("{\"type\":\"read_ok\",\"value\":{\"a\":[1,2.50,\"\\u00e9\"]}}");
    }

    private static WriteRequest Bind(string json) =>
        JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.WriteRequest)!;
}
