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
            request = BindCommonShape(body) ?? JsonSerializer.Deserialize(body, _typeInfo);
        }
        catch (JsonException ex)
        {
            throw NodeErrorException.Malformed(DescribeBindingError(ex, body));
        }

        return HandleAsync(header, request ?? throw NodeErrorException.Malformed($"malformed {Type}: empty body"), cancellationToken);
    }

    /// <summary>
    /// A hand-written binding for the shape nearly every request of this type has, for hot paths; null
    /// (the default) leaves the body to the serializer, whose errors are the contract's.
    /// </summary>
    protected virtual TRequest? BindCommonShape(ReadOnlySpan<byte> body) => null;

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

        if (ex.Path is null or "$")
        {
            var missing = MissingRequiredFields(body);
            return missing.Count == 0
                ? $"malformed {Type}: a required field is missing"
                : $"malformed {Type}: {(missing.Count == 1 ? "field" : "fields")} {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing";
        }

        return $"malformed {Type}: field {ex.Path.TrimStart('$', '.')} is missing or has the wrong type";
    }

    // The serializer names missing required members only in its own (CLR-flavoured) message: find them
    // from the contract instead, by the wire names the body lacks.
    private List<string> MissingRequiredFields(ReadOnlySpan<byte> body)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(body);
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    present.Add(reader.GetString()!);
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Whatever was read so far is what is present.
        }

        return [.. _typeInfo.Properties.Where(property => property.IsRequired && !present.Contains(property.Name)).Select(property => property.Name)];
    }

    // "$.value[0].a" -> "value": the body's own field, as the client wrote it.
    private static string TopLevelField(string path)
    {
        var field = path.TrimStart('$', '.');
        var end = field.AsSpan().IndexOfAny('.', '[');
        return end < 0 ? field : field[..end];
    }
}
