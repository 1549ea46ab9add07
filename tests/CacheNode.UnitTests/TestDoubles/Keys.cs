using CacheNode.Protocol;

namespace CacheNode.UnitTests.TestDoubles;

/// <summary>Short names for JSON keys and values in tests.</summary>
internal static class Keys
{
    public static RawJson Int(long value) => RawJson.FromInt(value);

    public static RawJson Json(string compact) => new(compact);
}
