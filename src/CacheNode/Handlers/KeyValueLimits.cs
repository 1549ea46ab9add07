using System.Text;
using CacheNode.Protocol;

namespace CacheNode.Handlers;

/// <summary>Guards against keys and values too large or too deep to cache or forward (error 12, definite: nothing was done).</summary>
internal static class KeyValueLimits
{
    /// <summary>
    /// How deeply a key or value may nest. A client's body holds it one level down, but messages between
    /// nodes hold it up to three (a drop in <c>fill_ok</c>: body, <c>drops</c>, entry; a write-behind copy
    /// likewise), and every message is bound with <see cref="JsonNesting.MaxDepth"/>: a key that fits a
    /// client's request but not a peer's message would break every grant its home sends that peer.
    /// </summary>
    public const int MaxNesting = JsonNesting.MaxDepth - 4;

    /// <summary>Checks a key's size and depth and gives it in its one canonical spelling (<see cref="CanonicalKey"/>).</summary>
    public static RawJson Key(int maxBytes, RawJson key)
    {
        Check(maxBytes, "key", key);
        return CanonicalKey.Of(key);
    }

    public static void Check(int maxBytes, string field, RawJson value)
    {
        if (value.Length > maxBytes)
        {
            throw NodeErrorException.Malformed($"{field} is {value.Length} bytes; the limit is {maxBytes} (CACHENODE_MAX_VALUE_BYTES)");
        }

        // Scalars, the common case, nest nothing: only arrays and objects are measured.
        if (value.Text is { Length: > 0 } text && text[0] is '[' or '{')
        {
            var depth = JsonNesting.DepthOf(Encoding.UTF8.GetBytes(text));
            if (depth > MaxNesting)
            {
                throw NodeErrorException.Malformed($"{field} nests {depth} levels deep; the limit is {MaxNesting}");
            }
        }
    }
}
