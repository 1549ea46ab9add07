using CacheNode.Protocol;

namespace CacheNode.Handlers;

/// <summary>Guards against values too large to cache or forward (error 12, definite: nothing was done).</summary>
internal static class KeyValueLimits
{
    /// <summary>Checks a key's size and gives it in its one canonical spelling (<see cref="CanonicalKey"/>).</summary>
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
    }
}
