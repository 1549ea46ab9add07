using System.Buffers;
using System.Text.Json;

namespace CacheNode.Protocol;

/// <summary>Copies one JSON value from a reader as compact UTF-8, preserving each token's original bytes.</summary>
internal static class CompactJson
{
    /// <summary>Copies the value at the reader's current token (and its children) and leaves the reader on its last token.</summary>
    public static void CopyValue(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        var depth = reader.CurrentDepth;
        // Whether the next token needs a comma before it (we are after a value inside a container).
        var needsComma = false;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    WriteSeparator(output, ref needsComma);
                    output.Write(reader.TokenType == JsonTokenType.StartObject ? "{"u8 : "["u8);
                    needsComma = false;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    output.Write(reader.TokenType == JsonTokenType.EndObject ? "}"u8 : "]"u8);
                    needsComma = true;
                    break;
                case JsonTokenType.PropertyName:
                    WriteSeparator(output, ref needsComma);
                    WriteQuoted(ref reader, output);
                    output.Write(":"u8);
                    // The value that follows the colon takes no comma.
                    needsComma = false;
                    break;
                case JsonTokenType.String:
                    WriteSeparator(output, ref needsComma);
                    WriteQuoted(ref reader, output);
                    needsComma = true;
                    break;
                default:
                    // Numbers, true, false, null: the raw token is already compact.
                    WriteSeparator(output, ref needsComma);
                    WriteRaw(ref reader, output);
                    needsComma = true;
                    break;
            }

            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName))
            {
                return;
            }
        }
        while (reader.Read());

        throw new JsonException("Unexpected end of JSON value.");
    }

    private static void WriteSeparator(IBufferWriter<byte> output, ref bool needsComma)
    {
        if (needsComma)
        {
            output.Write(","u8);
            needsComma = false;
        }
    }

    private static void WriteQuoted(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        // ValueSpan of a string is the escaped form between the quotes, exactly as the sender wrote it.
        output.Write("\""u8);
        WriteRaw(ref reader, output);
        output.Write("\""u8);
    }

    private static void WriteRaw(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        if (reader.HasValueSequence)
        {
            foreach (var segment in reader.ValueSequence)
            {
                output.Write(segment.Span);
            }
        }
        else
        {
            output.Write(reader.ValueSpan);
        }
    }
}
