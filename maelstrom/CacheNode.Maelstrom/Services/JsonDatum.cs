using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// A key or value of Maelstrom's key-value services: any JSON, equal to another exactly when Maelstrom's
/// Clojure would call the two parsed values <c>=</c>. Cheshire parses objects into maps (member order does
/// not matter), integers into longs or big integers (compared by value) and other numbers into doubles,
/// which are never <c>=</c> to an integer: <c>(= 1 1.0)</c> is false, so <c>1</c> and <c>1.0</c> are two keys.
/// </summary>
internal sealed class JsonDatum : IEquatable<JsonDatum>
{
    private readonly JsonNode? _node;

    private JsonDatum(JsonNode? node, string canonical)
    {
        _node = node;
        Canonical = canonical;
    }

    /// <summary>The text equality is decided on: members sorted, numbers normalized, strings re-escaped.</summary>
    public string Canonical { get; }

    /// <summary>The JSON as it was given (compact), for error texts that quote a value.</summary>
    public string Text => _node?.ToJsonString() ?? "null";

    /// <summary>
    /// What Clojure's <c>str</c> (not <c>pr-str</c>) makes of the value: a string without its quotes, nil as
    /// nothing. lww-kv's cas error quotes the expected value that way.
    /// </summary>
    public string PlainText => _node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => Text,
    };

    /// <summary>Takes a copy of <paramref name="node"/> (absent and JSON null are both Clojure's nil).</summary>
    public static JsonDatum Of(JsonNode? node)
    {
        var copy = node?.DeepClone();
        return new JsonDatum(copy, CanonicalText(copy));
    }

    /// <summary>Parses JSON text (e.g. <c>"k1"</c> with its quotes, or <c>7</c>).</summary>
    public static JsonDatum Parse(string json) => Of(JsonNode.Parse(json));

    /// <summary>A fresh copy of the value, to put in a reply.</summary>
    public JsonNode? ToNode() => _node?.DeepClone();

    public bool Equals(JsonDatum? other) => other is not null && string.Equals(Canonical, other.Canonical, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as JsonDatum);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    public override string ToString() => Text;

    private static string CanonicalText(JsonNode? node)
    {
        var text = new StringBuilder();
        AppendCanonical(text, node);
        return text.ToString();
    }

    private static void AppendCanonical(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject members:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",").Append(QuotedString(name)).Append(':');
                    AppendCanonical(text, value);
                    first = false;
                }

                text.Append('}');
                break;
            case JsonArray items:
                text.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    AppendCanonical(text, items[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                text.Append(value.GetValueKind() switch
                {
                    JsonValueKind.String => QuotedString(value.GetValue<string>()),
                    JsonValueKind.Number => CanonicalNumber(value.ToJsonString()),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => "null",
                });
                break;
        }
    }

    // Re-escaping the decoded string makes "\u0041" and "A" the same key, as they are once parsed.
    private static string QuotedString(string value) => JsonValue.Create(value).ToJsonString();

    private static string CanonicalNumber(string literal)
    {
        if (literal.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return BigInteger.Parse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        // Seventeen significant digits name every double exactly; the exponent form keeps a double from ever
        // reading like an integer.
        return double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("E16", CultureInfo.InvariantCulture);
    }
}
