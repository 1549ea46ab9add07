using System.Text.Json.Serialization;

namespace CacheNode.Protocol;

/// <summary>A JSON value kept as its compact text, so keys and values come back exactly as written.</summary>
/// <remarks>
/// Keys may be any JSON value and <c>1</c> and <c>"1"</c> are different keys: comparing the compact
/// text gives exactly that, and lets the text double as a dictionary key without a custom comparer,
/// once a key is in its one spelling (<see cref="CanonicalKey"/>).
/// </remarks>
[JsonConverter(typeof(RawJsonConverter))]
internal readonly record struct RawJson
{
    public static readonly RawJson Null = new("null");

    public RawJson(string compactText)
    {
        ArgumentException.ThrowIfNullOrEmpty(compactText);
        Text = compactText;
    }

    /// <summary>The compact JSON text (strings keep their quotes and escapes as the sender wrote them).</summary>
    public string Text { get; }

    /// <summary>Size of the value on the wire, used to enforce the value size limit.</summary>
    public int Length => Text.Length;

    /// <summary>True for <c>default(RawJson)</c>: no value at all (an optional field left out), not JSON null.</summary>
    public bool IsAbsent => Text is null;

    public static RawJson FromInt(long value) =>
        new(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => Text;
}
