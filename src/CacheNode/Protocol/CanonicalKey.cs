using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace CacheNode.Protocol;

/// <summary>
/// One spelling per key. lin-kv compares keys as values, so <c>"a"</c> and <c>"\u0061"</c>, or
/// <c>{"x":1,"y":2}</c> and <c>{"y":2,"x":1}</c>, are one key there; the cache, the home of a key and
/// the local store compare text. A key is rewritten in one canonical form before any of them sees it:
/// strings escape only what JSON requires (<c>"</c>, <c>\</c>, control characters), object members are
/// sorted by name, integers are written in full, other numbers as the double they parse to (always with
/// a point or an exponent, since <c>1</c> and <c>1.0</c> are different keys to lin-kv, as to Clojure).
/// </summary>
internal static class CanonicalKey
{
    public static RawJson Of(RawJson key)
    {
        var text = key.Text;
        if (text is null || IsAlreadyCanonical(text))
        {
            return key;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var canonical = new StringBuilder(text.Length);
            Write(document.RootElement, canonical);
            return new RawJson(canonical.ToString());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Not representable another way (a lone surrogate, a number beyond a double): keep it as written.
            return key;
        }
    }

    // The common keys: integers, strings with nothing escaped, true, false, null.
    private static bool IsAlreadyCanonical(string text)
    {
        if (text is "true" or "false" or "null")
        {
            return true;
        }

        if (text[0] == '"')
        {
            for (var i = 1; i < text.Length - 1; i++)
            {
                if (text[i] is '\\' or < ' ')
                {
                    return false;
                }
            }

            return true;
        }

        if (text == "-0")
        {
            return false;
        }

        for (var i = text[0] == '-' ? 1 : 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                WriteNumber(element.GetRawText(), output);
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Append(',');
                    }

                    first = false;
                    Write(item, output);
                }

                output.Append(']');
                break;
            case JsonValueKind.Object:
                output.Append('{');
                var firstMember = true;
                foreach (var member in element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!firstMember)
                    {
                        output.Append(',');
                    }

                    firstMember = false;
                    WriteString(member.Name, output);
                    output.Append(':');
                    Write(member.Value, output);
                }

                output.Append('}');
                break;
            default:
                output.Append(element.GetRawText());
                break;
        }
    }

    private static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case < ' ':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        output.Append('"');
    }

    private static void WriteNumber(string raw, StringBuilder output)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            output.Append(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            return;
        }

        var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw new FormatException($"{raw} is beyond a double");
        }

        // -0.0 and 0.0 are one key to lin-kv.
        var text = number == 0 ? "0.0" : number.ToString("R", CultureInfo.InvariantCulture);
        output.Append(text);
        if (text.AsSpan().IndexOfAny('.', 'E') < 0)
        {
            output.Append(".0");
        }
    }
}
