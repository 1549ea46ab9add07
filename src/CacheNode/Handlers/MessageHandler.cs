using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>Base for handlers of a typed request: wrong shapes become error 12 with a stable message.</summary>
internal abstract class MessageHandler<TRequest> : IMessageHandler
    where TRequest : class
{
    private readonly JsonTypeInfo<TRequest> _typeInfo;

    protected MessageHandler(string type, JsonTypeInfo<TRequest> typeInfo)
    {
        Type = type;
        _typeInfo = typeInfo;
    }

    public string Type { get; }

    public virtual bool RequiresInit => true;

    public virtual bool ServedWhileStopping => false;

    public virtual ErrorCode? DeadlineError => null;

    public virtual void OnReplied()
    {
    }

    public ValueTask<OutgoingBody> StartAsync(MessageHeader header, ReadOnlySpan<byte> body, CancellationToken cancellationToken)
    {
        TRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, _typeInfo);
        }
        catch (JsonException ex)
        {
            throw NodeErrorException.Malformed(DescribeBindingError(ex, body));
        }

        return HandleAsync(header, request ?? throw NodeErrorException.Malformed($"malformed {Type}: empty body"), cancellationToken);
    }

    protected abstract ValueTask<OutgoingBody> HandleAsync(MessageHeader header, TRequest request, CancellationToken cancellationToken);

    // The serializer's own messages name CLR types and change between runtime versions; ours stay stable
    // (golden tests compare them) and speak the wire's field names.
    private string DescribeBindingError(JsonException ex, ReadOnlySpan<byte> body)
    {
        if (JsonNesting.DepthOf(body) > JsonNesting.MaxDepth)
        {
            var field = ex.Path is null or "$" ? "a field" : $"field {TopLevelField(ex.Path)}";
            return $"malformed {Type}: {field} is nested deeper than {JsonNesting.MaxDepth} levels";
        }

        return ex.Path is null or "$"
            ? $"malformed {Type}: a required field is missing"
            : $"malformed {Type}: field {ex.Path.TrimStart('$', '.')} is missing or has the wrong type";
    }

    // "$.value[0].a" -> "value": the body's own field, as the client wrote it.
    private static string TopLevelField(string path)
    {
        var field = path.TrimStart('$', '.');
        var end = field.AsSpan().IndexOfAny('.', '[');
        return end < 0 ? field : field[..end];
    }
}
