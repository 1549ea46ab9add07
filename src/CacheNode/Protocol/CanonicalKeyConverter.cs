using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheNode.Protocol;

/// <summary>
/// Reads a key another node sent in its canonical spelling (<see cref="CanonicalKey"/>). Nodes send keys
/// canonical already, but a harness between them may spell them again its own way (Maelstrom parses every
/// message and writes it out afresh: <c>10000000.0</c> arrives as <c>1.0E7</c>, a tab in a string as
/// <c>\t</c>), and a key that does not match the cache's spelling would drop nothing.
/// </summary>
internal sealed class CanonicalKeyConverter : JsonConverter<RawJson>
{
    public override bool HandleNull => true;

    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CanonicalKey.Of(RawJsonConverter.ReadValue(ref reader));

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        RawJsonConverter.WriteValue(writer, value);
}

/// <summary>A list of keys, each read as <see cref="CanonicalKeyConverter"/> does.</summary>
internal sealed class CanonicalKeyListConverter : JsonConverter<RawJson[]>
{
    public override RawJson[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of keys");
        }

        var keys = new List<RawJson>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            keys.Add(CanonicalKey.Of(RawJsonConverter.ReadValue(ref reader)));
        }

        return [.. keys];
    }

    public override void Write(Utf8JsonWriter writer, RawJson[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var key in value)
        {
            RawJsonConverter.WriteValue(writer, key);
        }

        writer.WriteEndArray();
    }
}
