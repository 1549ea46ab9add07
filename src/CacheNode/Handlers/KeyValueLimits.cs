using CacheNode.Protocol;

namespace CacheNode.Handlers;

/// <summary>Guards against values too large to cache or forward (error 12, definite: nothing was done).</summary>
internal static class KeyValueLimits
{
    public static void Check(int maxBytes, string field, RawJson value)
    {
        if (value.Length > maxBytes)
        {
            throw NodeErrorException.Malformed($"{field} is {value.Length} bytes; the limit is {maxBytes} (CACHENODE_MAX_VALUE_BYTES)");
        }
    }
}
