using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheNode.Protocol;

/// <summary>
/// Reads any JSON value into its compact text token by token (no intermediate JsonDocument) and
/// writes it back verbatim. Numbers and strings keep the sender's exact spelling.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    // A missing value and an explicit null are different: null is a legal key or value.
    public override bool HandleNull => true;

    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadValue(ref reader);

    /// <summary>Reads the value at the reader's current token, leaving the reader on its last token.</summary>
    public static RawJson ReadValue(ref Utf8JsonReader reader)
    {
        // Fast paths for the scalars Maelstrom workloads use: their raw span already is the compact form.
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when !reader.HasValueSequence:
                return new RawJson(Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new RawJson("true");
            case JsonTokenType.False:
                return new RawJson("false");
            case JsonTokenType.Null:
                return RawJson.Null;
            case JsonTokenType.String when !reader.HasValueSequence:
                return new RawJson(Quote(reader.ValueSpan));
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        CompactJson.CopyValue(ref reader, buffer);
        return new RawJson(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    // The string's raw (still escaped) bytes between quotes are its compact form.
    private static string Quote(ReadOnlySpan<byte> escaped)
    {
        var length = Encoding.UTF8.GetCharCount(escaped) + 2;
        Span<char> chars = length <= 256 ? stackalloc char[length] : new char[length];
        chars[0] = '"';
        Encoding.UTF8.GetChars(escaped, chars[1..]);
        chars[^1] = '"';
        return new string(chars);
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        WriteValue(writer, value);

    /// <summary>Writes the value verbatim (its text is compact JSON already).</summary>
    public static void WriteValue(Utf8JsonWriter writer, RawJson value) =>
        writer.WriteRawValue(value.Text ?? "null", skipInputValidation: true);
}
