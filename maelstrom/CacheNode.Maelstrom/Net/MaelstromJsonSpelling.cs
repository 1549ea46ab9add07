using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CacheNode.Maelstrom.Net;

/// <summary>
/// A message as Maelstrom holds it once parsed: the envelope fields the network routes by, and the body in the
/// spelling Maelstrom writes it back in.
/// </summary>
internal sealed record MaelstromMessage(RouteFields Fields, string Body)
{
    /// <summary>
    /// The line Maelstrom writes to a node's stdin: its net.clj <c>send!</c> rebuilds every message as a
    /// <c>Message</c> record (message.clj: <c>id src dest body</c>), so the receiver sees the network's own message
    /// id first, then src, dest and body, and nothing else the sender put at the top level.
    /// </summary>
    public string Line(long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{id},\"src\":{MaelstromJsonSpelling.Quote(Fields.Src)},\"dest\":{MaelstromJsonSpelling.Quote(Fields.Dest)},\"body\":{Body}}}");
}

/// <summary>
/// What becomes of a message's JSON text on its way through Maelstrom 0.2.4. process.clj <c>parse-msg</c> reads a
/// node's line with Cheshire 5.13 (<c>parse-string</c>, Jackson 2.17, Cheshire's factory defaults) into Clojure
/// data, keywordizes the keys of the top level and of <c>body</c> (one level each), and checks the top level
/// against net.clj's <c>Message</c> schema; <c>stdin-thread</c> writes what it delivers with Cheshire's
/// <c>generate-stream</c>. So a receiver never sees the sender's text, only this respelling of it:
/// <list type="bullet">
/// <item>integers as written (Integer, Long or BigInteger print their digits), except <c>-0</c>, which is 0;</item>
/// <item>any number with a fraction or exponent as a double, in Java's <c>Double.toString</c> (<see cref="JavaDoubleText"/>):
/// <c>1e7</c> → <c>1.0E7</c>, <c>0.50</c> → <c>0.5</c>; one too large for a double is Infinity, which Jackson writes as the
/// string <c>"Infinity"</c> (QUOTE_NON_NUMERIC_NUMBERS);</item>
/// <item>strings decoded and escaped again as Jackson does: <c>\"</c>, <c>\\</c>, <c>\b \t \n \f \r</c>, other control
/// characters <c>\u00XX</c> (upper-case hex), nothing else: not '/', not DEL, not non-ASCII (written as UTF-8);
/// a lone surrogate becomes '?' (Java's UTF-8 encoder's replacement); raw control characters are accepted
/// (ALLOW_UNQUOTED_CONTROL_CHARS is on in Cheshire's factory);</item>
/// <item>no whitespace; objects in the order of Clojure's maps (<see cref="ClojureMapOrder"/>): up to 8 keys as
/// written, more in hash order (String keys, keywords in the body); a repeated key keeps its first place and its last
/// value;</item>
/// <item>the top level as <see cref="MaelstromMessage.Line"/>; a <c>body</c> that is absent, null, <c>[]</c> or
/// <c>""</c> becomes <c>{}</c> (keywordize-keys-1 reduces over it).</item>
/// </list>
/// A line is no message (Maelstrom's stdout thread stops there) when it is not JSON by Jackson's rules, its top
/// level is not an object, has a key other than src, dest, body and id (the schema is closed), src or dest is not a
/// string, id is not an integer, body is anything else (a non-empty array or string, a number, a boolean), or it
/// breaks Jackson's StreamReadConstraints (nesting deeper than 1000, a number of more than 1000 digits, a string of
/// more than 20,000,000 characters, a key of more than 50,000). Text after the top-level object is ignored: Cheshire
/// reads one value.
/// </summary>
internal static class MaelstromJsonSpelling
{
    /// <summary>Parses <paramref name="line"/> as Maelstrom does; false with the reason when Maelstrom would not take it.</summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out MaelstromMessage? message, [NotNullWhen(false)] out string? error)
    {
        try
        {
            message = new Reader(line).ReadMessage();
            error = null;
            return true;
        }
        catch (RejectedException rejected)
        {
            message = null;
            error = rejected.Message;
            return false;
        }
    }

    /// <summary>The respelling of one JSON value below the body (String keys), for tests and tools.</summary>
    /// <exception cref="FormatException">The text is not one JSON value Jackson would read.</exception>
    public static string Spell(string json)
    {
        try
        {
            return new Reader(json).ReadValueOnly();
        }
        catch (RejectedException rejected)
        {
            throw new FormatException(rejected.Message);
        }
    }

    /// <summary>A string as Jackson's <c>writeString</c> quotes it.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        AppendQuoted(text, value);
        return text.ToString();
    }

    private static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        var plainFrom = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\' && !char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            text.Append(value, plainFrom, i - plainFrom);
            plainFrom = i + 1;
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        // Jackson passes it through; Java's UTF-8 encoder on the node's stdin replaces it with '?'.
                        text.Append('?');
                    }
                    else
                    {
                        text.Append("\\u00").Append(HexDigits[c >> 4]).Append(HexDigits[c & 0xf]);
                    }

                    break;
            }
        }

        text.Append(value, plainFrom, value.Length - plainFrom).Append('"');
    }

    private const string HexDigits = "0123456789ABCDEF";

    private sealed class RejectedException(string message) : Exception(message);

    private enum Kind
    {
        Object,
        Array,
        String,
        Integer,
        Float,
        Literal,
    }

    private readonly record struct Member(string Key, int Start, int End);

    /// <summary>One pass over the text, writing the respelling to <see cref="_out"/> as it reads.</summary>
    private sealed class Reader(string text)
    {
        // Jackson 2.17's StreamReadConstraints defaults.
        private const int MaxDepth = 1000;
        private const int MaxNumberLength = 1000;
        private const int MaxStringLength = 20_000_000;
        private const int MaxNameLength = 50_000;

        private readonly StringBuilder _out = new(text.Length + 16);
        private readonly List<List<Member>> _membersByDepth = [];
        private StringBuilder? _scratch;
        private int _pos;
        private int _depth;

        // What the last value read was, for the fields the network reads.
        private Kind _kind;
        private string? _string;
        private long? _integer;

        // The body's type, msg_id and in_reply_to, from the last keyword-level object read.
        private string _type = string.Empty;
        private long? _msgId;
        private long? _inReplyTo;

        public MaelstromMessage ReadMessage()
        {
            SkipWhitespace();
            if (Peek() != '{')
            {
                throw new RejectedException("not a JSON object");
            }

            _pos++;
            _depth = 1;
            string? src = null, dest = null;
            bool hasSrc = false, hasDest = false, idIsInteger = true;
            string? body = "{}";
            (string Type, long? MsgId, long? InReplyTo) bodyFields = (string.Empty, null, null);
            for (var key = FirstMember(); key is not null; key = NextMember())
            {
                switch (key)
                {
                    case "src":
                        hasSrc = true;
                        ReadDiscarded(keywordKeys: false);
                        src = _kind == Kind.String ? _string : null;
                        break;
                    case "dest":
                        hasDest = true;
                        ReadDiscarded(keywordKeys: false);
                        dest = _kind == Kind.String ? _string : null;
                        break;
                    case "id":
                        ReadDiscarded(keywordKeys: false);
                        idIsInteger = _kind == Kind.Integer;
                        break;
                    case "body":
                        var start = _out.Length;
                        ReadValue(keywordKeys: true);
                        var spelled = _out.ToString(start, _out.Length - start);
                        _out.Length = start;
                        (body, bodyFields) = _kind switch
                        {
                            Kind.Object => (spelled, (_type, _msgId, _inReplyTo)),
                            Kind.Literal when spelled == "null" => ("{}", (string.Empty, null, null)),
                            Kind.Array when spelled == "[]" => ("{}", (string.Empty, null, null)),
                            Kind.String when _string!.Length == 0 => ("{}", (string.Empty, null, null)),
                            _ => (null, (string.Empty, null, null)),
                        };
                        break;
                    default:
                        throw new RejectedException($"disallowed key {Quote(key)} (a message has only src, dest, body and id)");
                }
            }

            if (!hasSrc || src is null)
            {
                throw new RejectedException(hasSrc ? "src is not a string" : "no src");
            }

            if (!hasDest || dest is null)
            {
                throw new RejectedException(hasDest ? "dest is not a string" : "no dest");
            }

            if (!idIsInteger)
            {
                throw new RejectedException("id is not an integer");
            }

            if (body is null)
            {
                throw new RejectedException("body is not an object");
            }

            return new MaelstromMessage(new RouteFields(src, dest, bodyFields.Type, bodyFields.MsgId, bodyFields.InReplyTo), body);
        }

        public string ReadValueOnly()
        {
            SkipWhitespace();
            ReadValue(keywordKeys: false);
            SkipWhitespace();
            if (_pos != text.Length)
            {
                throw new RejectedException($"text after the value at {_pos}");
            }

            return _out.ToString();
        }

        private void ReadDiscarded(bool keywordKeys)
        {
            var start = _out.Length;
            ReadValue(keywordKeys);
            _out.Length = start;
        }

        private void ReadValue(bool keywordKeys)
        {
            switch (Peek())
            {
                case '{':
                    ReadObject(keywordKeys);
                    break;
                case '[':
                    ReadArray();
                    break;
                case '"':
                    _string = ReadString(MaxStringLength);
                    AppendQuoted(_out, _string);
                    _kind = Kind.String;
                    break;
                case '-' or (>= '0' and <= '9'):
                    ReadNumber();
                    break;
                case 't':
                    ReadLiteral("true");
                    break;
                case 'f':
                    ReadLiteral("false");
                    break;
                case 'n':
                    ReadLiteral("null");
                    break;
                default:
                    throw Unexpected();
            }
        }

        // An object's members, after its '{': the first member's name (read up to its value), or null
        // when the object is empty (its '}' read).
        private string? FirstMember()
        {
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return null;
            }

            return MemberName();
        }

        // After a member's value: the next member's name, or null when the object closes (its '}' read).
        private string? NextMember()
        {
            SkipWhitespace();
            if (Next() is '}')
            {
                return null;
            }

            Back();
            Expect(',');
            return MemberName();
        }

        private string MemberName()
        {
            SkipWhitespace();
            var key = ReadString(MaxNameLength);
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            return key;
        }

        private void ReadObject(bool keywordKeys)
        {
            _pos++;
            Enter();
            var open = _out.Length;
            _out.Append('{');
            var members = MembersAtThisDepth();
            string type = string.Empty;
            long? msgId = null, inReplyTo = null;
            for (var key = FirstMember(); key is not null; key = NextMember())
            {
                if (members.Count > 0)
                {
                    _out.Append(',');
                }

                var start = _out.Length;
                AppendQuoted(_out, key);
                _out.Append(':');
                ReadValue(keywordKeys: false);
                members.Add(new Member(key, start, _out.Length));
                if (keywordKeys)
                {
                    switch (key)
                    {
                        case "type":
                            type = _kind == Kind.String ? _string! : string.Empty;
                            break;
                        case "msg_id":
                            msgId = _kind == Kind.Integer ? _integer : null;
                            break;
                        case "in_reply_to":
                            inReplyTo = _kind == Kind.Integer ? _integer : null;
                            break;
                    }
                }
            }

            Reorder(open, members, keywordKeys);
            _out.Append('}');
            members.Clear();
            _depth--;
            _kind = Kind.Object;
            (_type, _msgId, _inReplyTo) = keywordKeys ? (type, msgId, inReplyTo) : (_type, _msgId, _inReplyTo);
        }

        /// <summary>Puts the members written since <paramref name="open"/> in the order Clojure's map iterates them.</summary>
        private void Reorder(int open, List<Member> members, bool keywordKeys)
        {
            if (members.Count < 2)
            {
                return;
            }

            if (members.Count <= ClojureMapOrder.ArrayMapLimit && !HasRepeatedKey(members))
            {
                return;
            }

            // Each distinct key at its first place, with its last value (assoc! on a present key replaces the value).
            var distinct = new List<Member>(members.Count);
            var places = new Dictionary<string, int>(members.Count, StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (places.TryGetValue(member.Key, out var at))
                {
                    distinct[at] = member;
                }
                else
                {
                    places[member.Key] = distinct.Count;
                    distinct.Add(member);
                }
            }

            IEnumerable<Member> ordered = distinct;
            if (distinct.Count > ClojureMapOrder.ArrayMapLimit)
            {
                // Cheshire's map of String keys first; keywordize-keys-1 then fills a new map in that order, whose
                // own hash order (of the keywords) decides, with equal hashes left in the first map's order.
                ordered = ordered.OrderBy(m => ClojureMapOrder.TrieRank(ClojureMapOrder.StringHasheq(m.Key)));
                if (keywordKeys)
                {
                    ordered = ordered.OrderBy(m => ClojureMapOrder.TrieRank(ClojureMapOrder.KeywordHasheq(m.Key)));
                }
            }

            var texts = ordered.Select(m => _out.ToString(m.Start, m.End - m.Start)).ToList();
            _out.Length = open + 1;
            _out.AppendJoin(',', texts);
        }

        private static bool HasRepeatedKey(List<Member> members)
        {
            for (var i = 1; i < members.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(members[i].Key, members[j].Key, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private List<Member> MembersAtThisDepth()
        {
            while (_membersByDepth.Count < _depth)
            {
                _membersByDepth.Add([]);
            }

            return _membersByDepth[_depth - 1];
        }

        private void ReadArray()
        {
            _pos++;
            Enter();
            _out.Append('[');
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
            }
            else
            {
                var first = true;
                while (true)
                {
                    SkipWhitespace();
                    if (!first)
                    {
                        _out.Append(',');
                    }

                    ReadValue(keywordKeys: false);
                    first = false;
                    SkipWhitespace();
                    if (Next() is ']')
                    {
                        break;
                    }

                    Back();
                    Expect(',');
                }
            }

            _out.Append(']');
            _depth--;
            _kind = Kind.Array;
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw new RejectedException($"nesting deeper than {MaxDepth}");
            }
        }

        private string ReadString(int maxLength)
        {
            Expect('"');
            var start = _pos;
            while (_pos < text.Length && text[_pos] is not ('"' or '\\'))
            {
                _pos++;
            }

            if (_pos >= text.Length)
            {
                throw new RejectedException("unterminated string");
            }

            if (text[_pos] == '"')
            {
                CheckLength(_pos - start, maxLength);
                return text.Substring(start, _pos++ - start);
            }

            var value = _scratch ??= new StringBuilder();
            value.Clear().Append(text, start, _pos - start);
            while (true)
            {
                if (_pos >= text.Length)
                {
                    throw new RejectedException("unterminated string");
                }

                var c = text[_pos++];
                if (c == '"')
                {
                    break;
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                if (_pos >= text.Length)
                {
                    throw new RejectedException("unterminated string");
                }

                var escape = text[_pos++];
                value.Append(escape switch
                {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\b',
                    'f' => '\f',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => ReadHex4(),
                    _ => throw new RejectedException($"unrecognized escape \\{escape}"),
                });
            }

            CheckLength(value.Length, maxLength);
            return value.ToString();
        }

        private static void CheckLength(int length, int maxLength)
        {
            if (length > maxLength)
            {
                throw new RejectedException($"a string or key longer than {maxLength}");
            }
        }

        private char ReadHex4()
        {
            if (_pos + 4 > text.Length
                || !int.TryParse(text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new RejectedException("bad \\u escape");
            }

            _pos += 4;
            return (char)code;
        }

        private void ReadNumber()
        {
            var start = _pos;
            if (Peek() == '-')
            {
                _pos++;
            }

            var integerDigits = Digits();
            if (integerDigits == 0)
            {
                throw new RejectedException("a minus sign without digits");
            }

            if (integerDigits > 1 && text[_pos - integerDigits] == '0')
            {
                throw new RejectedException("a number with a leading zero");
            }

            int fractionDigits = 0, exponentDigits = 0;
            var isFloat = false;
            if (Peek() == '.')
            {
                _pos++;
                isFloat = true;
                fractionDigits = Digits();
                if (fractionDigits == 0)
                {
                    throw new RejectedException("a decimal point without digits after it");
                }
            }

            if (Peek() is 'e' or 'E')
            {
                _pos++;
                isFloat = true;
                if (Peek() is '+' or '-')
                {
                    _pos++;
                }

                exponentDigits = Digits();
                if (exponentDigits == 0)
                {
                    throw new RejectedException("an exponent without digits");
                }
            }

            if (integerDigits + fractionDigits + exponentDigits > MaxNumberLength)
            {
                throw new RejectedException($"a number longer than {MaxNumberLength} digits");
            }

            var literal = text.AsSpan(start, _pos - start);
            if (!isFloat)
            {
                // Jackson reads it as an Integer, Long or BigInteger, which print their digits; -0 is the integer 0.
                _out.Append(literal is "-0" ? "0" : literal);
                _kind = Kind.Integer;
                _integer = long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
                return;
            }

            var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(value))
            {
                AppendQuoted(_out, value > 0 ? "Infinity" : "-Infinity");
            }
            else
            {
                _out.Append(JavaDoubleText.Format(value));
            }

            _kind = Kind.Float;
        }

        private int Digits()
        {
            var start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }

            return _pos - start;
        }

        private void ReadLiteral(string literal)
        {
            if (string.CompareOrdinal(text, _pos, literal, 0, literal.Length) != 0)
            {
                throw Unexpected();
            }

            _pos += literal.Length;
            _out.Append(literal);
            _kind = Kind.Literal;
        }

        // Jackson's whitespace: space, tab, CR, LF; any other control character between tokens is an error.
        private void SkipWhitespace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\r' or '\n')
            {
                _pos++;
            }
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private char Next() => _pos < text.Length ? text[_pos++] : throw new RejectedException("unexpected end of input");

        private void Back() => _pos--;

        private void Expect(char c)
        {
            if (Peek() != c || _pos >= text.Length)
            {
                throw new RejectedException(_pos >= text.Length ? $"unexpected end of input (expected '{c}')" : $"expected '{c}' at {_pos}");
            }

            _pos++;
        }

        private RejectedException Unexpected() =>
            new(_pos >= text.Length ? "unexpected end of input" : $"unexpected character '{text[_pos]}' at {_pos}");
    }
}
