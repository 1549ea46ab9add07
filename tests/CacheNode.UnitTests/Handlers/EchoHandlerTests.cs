using System.Text;
using System.Text.Json;
using CacheNode.Handlers;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.UnitTests.Handlers;

/// <summary>Echo reads its body by hand for speed; it must answer exactly as the serializer's binding would.</summary>
public sealed class EchoHandlerTests
{
    private static readonly MessageHeader Header = new("c1", "n1", "echo", 1, null);

    [Theory]
    [InlineData("""{"type":"echo","msg_id":1,"echo":"hi"}""")]
    [InlineData("""{"echo":"caf\u00e9 \"q\" \\ /","type":"echo"}""")]
    [InlineData("""{"type":"echo","echo":null}""")]
    [InlineData("""{"type":"echo","echo":1.50e3}""")]
    [InlineData("""{"type":"echo","echo":{"a":[1, true, {"b" : null}]},"extra":[1,[2]]}""")]
    [InlineData("""{"type":"echo","\u0065cho":"escaped name"}""")]
    [InlineData("""{"type":"echo","Echo":"other case","echo":2}""")]
    public async Task Answers_with_the_value_the_serializer_would_bind(string body)
    {
        var expected = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(body), ProtocolJsonContext.Default.EchoRequest)!.Echo;

        var reply = await new EchoHandler().StartAsync(Header, Encoding.UTF8.GetBytes(body), CancellationToken.None);

        reply.Should().BeOfType<EchoOk>().Which.Echo.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"type":"echo"}""")]
    [InlineData("""{"type":"echo","echo":"a","echo":"b"}""")]
    [InlineData("""{"type":"echo","echo":[1,}""")]
    public void Unusual_bodies_get_the_serializers_answer(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        RawJson? bound = null;
        Exception? bindingError = null;
        try
        {
            bound = JsonSerializer.Deserialize(bytes, ProtocolJsonContext.Default.EchoRequest)!.Echo;
        }
        catch (JsonException ex)
        {
            bindingError = ex;
        }

        var start = () => new EchoHandler().StartAsync(Header, bytes, CancellationToken.None).AsTask().Result;

        if (bindingError is null)
        {
            start().Should().BeOfType<EchoOk>().Which.Echo.Should().Be(bound);
        }
        else
        {
            start.Should().Throw<NodeErrorException>().Which.Code.Should().Be(ErrorCode.MalformedRequest);
        }
    }

    [Fact]
    public void A_value_nested_too_deeply_is_refused_as_the_contract_says()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"echo\",\"echo\":" + new string('[', 70) + new string(']', 70) + "}");

        var start = () => new EchoHandler().StartAsync(Header, body, CancellationToken.None);

        start.Should().Throw<NodeErrorException>().WithMessage("*nested deeper than 64 levels*");
    }
}
