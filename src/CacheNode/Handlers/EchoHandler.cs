using System.Text.Json;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>echo</c>: answers with the same value (Maelstrom's hello-world workload).</summary>
internal sealed class EchoHandler()
    : MessageHandler<EchoRequest>("echo", ProtocolJsonContext.Default.EchoRequest)
{
    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, EchoRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<OutgoingBody>(new EchoOk(request.Echo));

    // Echo is also the protocol's benchmark, and the serializer's general binding was a third of its cost:
    // one pass for the one field. Anything unusual (no echo, two of them, a value nested too deeply) goes
    // to the serializer, so errors read the same either way.
    protected override EchoRequest? BindCommonShape(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = JsonNesting.MaxDepth });
        RawJson? echo = null;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("echo"u8))
                {
                    if (echo is not null)
                    {
                        return null;
                    }

                    reader.Read();
                    echo = RawJsonConverter.ReadValue(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return echo is { } value ? new EchoRequest { Echo = value } : null;
    }
}
