using CacheNode.Protocol;

namespace CacheNode.Database;

/// <summary>A database read: the value, or the fact that the key does not exist.</summary>
internal readonly record struct ReadResult(bool Found, RawJson Value)
{
    public static ReadResult Missing => default;

    public static ReadResult Of(RawJson value) => new(true, value);
}
