using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace CacheNode.Protocol;

/// <summary>
/// Parses a line's envelope (<c>src</c>, <c>dest</c>, <c>body</c>) and the body's header (<c>type</c>,
/// <c>msg_id</c>, <c>in_reply_to</c>) in one pass over the bytes; the typed body is bound later, by its handler.
/// </summary>
internal sealed class EnvelopeParser
{
    // No depth limit here: this pass only skips over values, so the header of any line can be read and
    // a body nested too deeply still gets its error 12 (JsonNesting.MaxDepth) when it is bound.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = int.MaxValue };

    // The same ids and types arrive on nearly every line: reuse their strings.
    private readonly Utf8StringCache _names = new();

    /// <summary>Parses a line; on failure <paramref name="error"/> says why (for the stderr log).</summary>
    public EnvelopeParseResult Parse(ReadOnlySpan<byte> line, out MessageHeader? header, out Range bodyRange, out string? error)
    {
        header = null;
        bodyRange = default;
        try
        {
            return ParseCore(line, out header, out bodyRange, out error);
        }
        catch (JsonException)
        {
            // The parser's own message (positions, token names) helps nobody reading a log.
            error = "not valid JSON";
            return EnvelopeParseResult.NotJson;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader getters throw this when a token has the wrong type.
            error = "an envelope field has the wrong type";
            return EnvelopeParseResult.NotJson;
        }
    }

    private EnvelopeParseResult ParseCore(ReadOnlySpan<byte> line, out MessageHeader? header, out Range bodyRange, out string? error)
    {
        header = null;
        bodyRange = default;
        var reader = new Utf8JsonReader(line, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "a message must be a JSON object";
            return EnvelopeParseResult.NotJson;
        }

        string? src = null;
        string? dest = null;
        BodyHeader body = default;
        var bodyStart = -1;
        var bodyEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("src"u8))
            {
                reader.Read();
                src = ReadName(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("dest"u8))
            {
                reader.Read();
                dest = ReadName(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                // One pass: the header is read on the way through the body (the last body wins, as it
                // would for any duplicate field).
                bodyStart = (int)reader.TokenStartIndex;
                body = ReadBodyHeader(ref reader);
                bodyEnd = (int)reader.BytesConsumed;
            }
            else
            {
                // Maelstrom adds an "id" to routed messages; anything else unknown is ignored too.
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the closing brace other than whitespace is not one JSON message.
        while (reader.Read())
        {
            error = "trailing data after the message object";
            return EnvelopeParseResult.NotJson;
        }

        if (bodyStart < 0)
        {
            error = "message has no body object";
            return EnvelopeParseResult.NoType;
        }

        bodyRange = bodyStart..bodyEnd;
        if (string.IsNullOrEmpty(body.Type))
        {
            error = "body.type is missing or not a string";
            return EnvelopeParseResult.NoType;
        }

        if (src is null || dest is null)
        {
            error = "message lacks a string src or dest";
            return EnvelopeParseResult.NoRoute;
        }

        header = new MessageHeader(src, dest, body.Type, body.MsgId, body.InReplyTo);
        // JSON allows any bytes in a string, and decoding would turn invalid UTF-8 into U+FFFD, so two
        // different keys would become one. The check is vectorized; only a bad line pays for finding where.
        if (!Utf8.IsValid(line))
        {
            return InvalidUtf8(line, bodyRange, body.Type, out error);
        }

        if (body.BadId)
        {
            error = "msg_id and in_reply_to must be integers";
            return EnvelopeParseResult.BadHeader;
        }

        error = null;
        return EnvelopeParseResult.Ok;
    }

    private static EnvelopeParseResult InvalidUtf8(ReadOnlySpan<byte> line, Range bodyRange, string type, out string error)
    {
        var (bodyStart, bodyLength) = bodyRange.GetOffsetAndLength(line.Length);
        if (!Utf8.IsValid(line[..bodyStart]) || !Utf8.IsValid(line[(bodyStart + bodyLength)..]))
        {
            error = "src, dest or another envelope field is not valid UTF-8";
            return EnvelopeParseResult.NotJson;
        }

        var body = line[bodyRange];
        var field = TopLevelFieldAt(body, FirstInvalidByte(body));
        if (field == "type")
        {
            error = "body.type is not valid UTF-8";
            return EnvelopeParseResult.NotJson;
        }

        error = field is null
            ? $"malformed {type}: a field name is not valid UTF-8"
            : $"malformed {type}: field {field} is not valid UTF-8";
        return EnvelopeParseResult.BadBody;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[index..], out _, out var consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return -1;
    }

    // The name of the body's own field whose value holds the byte at offset; null if the byte is in a
    // field name (the bytes between fields are JSON's own, all ASCII).
    private static string? TopLevelFieldAt(ReadOnlySpan<byte> body, int offset)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The quotes around the name are not in ValueSpan (its escapes are).
            if (offset < reader.TokenStartIndex + reader.ValueSpan.Length + 2)
            {
                return null;
            }

            // Before the bad byte, so valid UTF-8.
            var name = reader.GetString();
            reader.Read();
            reader.Skip();
            if (offset < reader.BytesConsumed)
            {
                return name;
            }
        }

        return null;
    }

    // The body's own type, msg_id and in_reply_to, read while passing over it; leaves the reader on the
    // body's closing brace.
    private BodyHeader ReadBodyHeader(ref Utf8JsonReader reader)
    {
        var header = default(BodyHeader);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                header.Type = ReadName(ref reader);
            }
            else if (reader.ValueTextEquals("msg_id"u8))
            {
                reader.Read();
                header.MsgId = ReadId(ref reader, ref header.BadId);
            }
            else if (reader.ValueTextEquals("in_reply_to"u8))
            {
                reader.Read();
                header.InReplyTo = ReadId(ref reader, ref header.BadId);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return header;
    }

    private static long? ReadId(ref Utf8JsonReader reader, ref bool bad)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id))
        {
            return id;
        }

        bad |= reader.TokenType != JsonTokenType.Null;
        return null;
    }

    private string? ReadName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        // Escaped or split names are rare: let the reader unescape them.
        return reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString() : _names.Get(reader.ValueSpan);
    }

    private struct BodyHeader
    {
        public string? Type;
        public long? MsgId;
        public long? InReplyTo;
        public bool BadId;
    }
}
