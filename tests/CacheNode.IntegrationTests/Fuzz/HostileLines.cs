using System.Globalization;
using System.Text;

namespace CacheNode.IntegrationTests.Fuzz;

/// <summary>What the node must do with one fuzz line.</summary>
internal abstract record Expectation
{
    /// <summary>Exactly one reply with this in_reply_to, of this type; for read_ok and echo_ok, this compact value.</summary>
    public sealed record Reply(long MsgId, string Type, string? Value = null, int? Code = null) : Expectation;

    /// <summary>No reply at all; one stderr line.</summary>
    public sealed record Dropped : Expectation;

    /// <summary>An error reply without in_reply_to (its msg_id was not an integer).</summary>
    public sealed record AnonymousError(int Code) : Expectation;
}

/// <summary>One line of input (without its line ending) and what the node must do with it.</summary>
internal sealed record FuzzLine(byte[] Bytes, Expectation Expected);

/// <summary>
/// A seeded stream of hostile lines for one node (write-through over its local store), with the model
/// of that store that says what each line must get: valid requests of every kind and JSON shape,
/// and lines that are broken in every way the protocol documents.
/// </summary>
internal sealed class HostileLines(int seed, int maxMessageBytes)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, string> _store = new(StringComparer.Ordinal);
    private long _nextMsgId = 1;

    public static byte[] Init => Encoding.UTF8.GetBytes("""{"src":"c1","dest":"n1","body":{"type":"init","msg_id":0,"node_id":"n1","node_ids":["n1"]}}""");

    public IEnumerable<FuzzLine> Take(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    private FuzzLine Next()
    {
        var msgId = _nextMsgId++;
        return _random.Next(100) switch
        {
            < 25 => Write(msgId),
            < 45 => Read(msgId),
            < 57 => Cas(msgId),
            < 65 => Echo(msgId),
            < 67 => Valid(msgId, $$$"""{"type":"frobnicate","msg_id":{{{msgId}}}}""", new Expectation.Reply(msgId, "error", Code: 10)),
            < 70 => Valid(msgId, $$$"""{"type":"write","msg_id":{{{msgId}}},"key":{{{Key()}}}}""", new Expectation.Reply(msgId, "error", Code: 12)),
            < 72 => Valid(msgId, $$$"""{"type":"read","msg_id":"{{{msgId}}}","key":1}""", new Expectation.AnonymousError(12)),
            < 75 => Nested(msgId),
            < 78 => InvalidUtf8InBody(msgId),
            < 80 => RequestWithInReplyTo(msgId),
            < 82 => new FuzzLine(Bytes($$$"""{"dest":"n1","body":{"type":"read","msg_id":{{{msgId}}},"key":1}}"""), new Expectation.Dropped()),
            < 84 => new FuzzLine(Bytes($$$"""{"src":"c1","dest":"n1","body":{"msg_id":{{{msgId}}},"key":1}}"""), new Expectation.Dropped()),
            < 89 => NotJson(msgId),
            < 91 => InvalidUtf8InEnvelope(msgId),
            < 92 => Oversized(msgId),
            _ => ControlBytes(msgId),
        };
    }

    private FuzzLine Write(long msgId)
    {
        var key = Key();
        var (compact, loose) = Value(depth: 0);
        _store[key] = compact;
        return Valid(msgId, $$$"""{"type":"write","msg_id":{{{msgId}}},"key":{{{key}}},"value":{{{loose}}}}""", new Expectation.Reply(msgId, "write_ok"));
    }

    private FuzzLine Read(long msgId)
    {
        var key = Key();
        var expected = _store.TryGetValue(key, out var value)
            ? new Expectation.Reply(msgId, "read_ok", value)
            : new Expectation.Reply(msgId, "error", Code: 20);
        return Valid(msgId, $$$"""{"type":"read","msg_id":{{{msgId}}},"key":{{{key}}}}""", expected);
    }

    private FuzzLine Cas(long msgId)
    {
        var key = Key();
        var (to, looseTo) = Value(depth: 0);
        // Usually the current value, so that some succeed; sometimes anything.
        var from = _store.TryGetValue(key, out var current) && _random.Next(3) > 0 ? current : Value(depth: 0).Compact;
        var create = _random.Next(4) == 0;
        Expectation expected;
        if (current is null)
        {
            expected = create ? new Expectation.Reply(msgId, "cas_ok") : new Expectation.Reply(msgId, "error", Code: 20);
            if (create)
            {
                _store[key] = to;
            }
        }
        else if (current != from)
        {
            expected = new Expectation.Reply(msgId, "error", Code: 22);
        }
        else
        {
            _store[key] = to;
            expected = new Expectation.Reply(msgId, "cas_ok");
        }

        var flag = create ? ""","create_if_not_exists":true""" : string.Empty;
        return Valid(msgId, $$$"""{"type":"cas","msg_id":{{{msgId}}},"key":{{{key}}},"from":{{{from}}},"to":{{{looseTo}}}{{{flag}}}}""", expected);
    }

    private FuzzLine Echo(long msgId)
    {
        var (compact, loose) = Value(depth: 0);
        return Valid(msgId, $$$"""{"type":"echo","msg_id":{{{msgId}}},"echo":{{{loose}}}}""", new Expectation.Reply(msgId, "echo_ok", compact));
    }

    private FuzzLine Nested(long msgId)
    {
        var depth = _random.Next(64, 3000);
        var value = new string('[', depth) + "1" + new string(']', depth);
        return Valid(msgId, $$$"""{"type":"echo","msg_id":{{{msgId}}},"echo":{{{value}}}}""", new Expectation.Reply(msgId, "error", Code: 12));
    }

    private FuzzLine InvalidUtf8InBody(long msgId)
    {
        var line = Bytes($$$"""{"src":"c1","dest":"n1","body":{"type":"write","msg_id":{{{msgId}}},"key":"k""");
        return new FuzzLine([.. line, BadByte(), .. Bytes("\",\"value\":1}}")], new Expectation.Reply(msgId, "error", Code: 12));
    }

    private FuzzLine InvalidUtf8InEnvelope(long msgId) =>
        new([.. Bytes("{\"src\":\"c"), BadByte(), .. Bytes("\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":" + msgId.ToString(CultureInfo.InvariantCulture) + ",\"echo\":1}}")], new Expectation.Dropped());

    private FuzzLine RequestWithInReplyTo(long msgId) =>
        new(Bytes($$$"""{"src":"c1","dest":"n1","body":{"type":"read","msg_id":{{{msgId}}},"key":1,"in_reply_to":{{{_random.Next(1, 1000)}}}}}"""), new Expectation.Dropped());

    private FuzzLine NotJson(long msgId)
    {
        var whole = $$$"""{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":{{{msgId}}},"echo":1}}""";
        var text = _random.Next(6) switch
        {
            0 => whole[..(_random.Next(1, whole.Length - 1))],
            1 => "[" + whole + "]",
            2 => whole + " trailing",
            3 => "null",
            4 => "{}",
            _ => "not json at all " + msgId,
        };
        return new FuzzLine(Bytes(text), new Expectation.Dropped());
    }

    private FuzzLine Oversized(long msgId)
    {
        var filler = new string('x', maxMessageBytes + _random.Next(1, 1000));
        return new FuzzLine(Bytes($$$"""{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":{{{msgId}}},"echo":"{{{filler}}}"}}"""), new Expectation.Dropped());
    }

    // Raw control bytes outside strings are not JSON: the line is dropped (and must be logged escaped).
    private FuzzLine ControlBytes(long msgId) =>
        new([0x1B, .. Bytes("[2J"), 0x00, 0x0C, .. Bytes($$$"""{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":{{{msgId}}}}}""")], new Expectation.Dropped());

    private FuzzLine Valid(long msgId, string body, Expectation expected)
    {
        var line = $$$"""{"src":"c1","dest":"n1","body":{{{body}}}}""";
        // Some lines come with Windows line endings, some with Maelstrom's routing id; both change nothing.
        if (_random.Next(10) == 0)
        {
            line = $$$"""{"id":{{{msgId}}},"src":"c1","dest":"n1","body":{{{body}}}}""";
        }

        var bytes = Bytes(line);
        return new FuzzLine(_random.Next(10) == 0 ? [.. bytes, (byte)'\r'] : bytes, expected);
    }

    private string Key() => _random.Next(3) switch
    {
        0 => _random.Next(10).ToString(CultureInfo.InvariantCulture),
        1 => $"\"k{_random.Next(10)}\"",
        _ => $"\"ключ {_random.Next(5)} \\\" \\n\"",
    };

    // A JSON value as compact text and as the same value with whitespace where JSON allows it.
    private (string Compact, string Loose) Value(int depth)
    {
        switch (_random.Next(depth > 3 ? 6 : 9))
        {
            case 0: return Same(_random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture));
            case 1: return Same((_random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture));
            case 2: return Same(_random.Next(2) == 0 ? "true" : "false");
            case 3: return Same("null");
            case 4: return Same("\"plain text\"");
            case 5: return Same("\"tab\\t quote\\\" unicode \\u00e9 é 😀 slash\\/\"");
            case 6:
            case 7:
            {
                var items = Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1)).ToList();
                return ("[" + string.Join(',', items.Select(i => i.Compact)) + "]", "[ " + string.Join(" , ", items.Select(i => i.Loose)) + " ]");
            }

            default:
            {
                var fields = Enumerable.Range(0, _random.Next(4)).Select(i => (Name: $"\"f{i}\"", Value: Value(depth + 1))).ToList();
                return ("{" + string.Join(',', fields.Select(f => f.Name + ":" + f.Value.Compact)) + "}",
                    "{ " + string.Join(" ,\t", fields.Select(f => f.Name + " : " + f.Value.Loose)) + " }");
            }
        }

        static (string, string) Same(string text) => (text, text);
    }

    private byte BadByte() => (byte)(_random.Next(2) == 0 ? 0xFF : 0x80 + _random.Next(0x40));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
