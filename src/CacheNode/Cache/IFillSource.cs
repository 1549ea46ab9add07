using CacheNode.Database;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>
/// Where a miss fills from: the database, or (in a write-through or cache-aside cluster) the key's home
/// node, whose answer says how long the value may be cached.
/// </summary>
internal interface IFillSource
{
    /// <summary>Reads <paramref name="key"/> for a fill that began at <paramref name="startedAt"/>.</summary>
    ValueTask<SourcedValue> ReadAsync(RawJson key, Timestamp startedAt, CancellationToken cancellationToken);
}

/// <summary>
/// A value read for a fill, and until when it may be cached: <see cref="Timestamp.Never"/> for as long as
/// the cache's own time to live, <see cref="Timestamp.LongAgo"/> not at all.
/// </summary>
internal readonly record struct SourcedValue(ReadResult Result, Timestamp CacheableUntil)
{
    /// <summary>Whose volume lease must also cover the copy, if anyone's.</summary>
    public CoverageTag? Coverage { get; init; }

    public static SourcedValue Cacheable(ReadResult result) => new(result, Timestamp.Never);

    public static SourcedValue NotCacheable(ReadResult result) => new(result, Timestamp.LongAgo);
}

/// <summary>Fills straight from the database: a single node, write-behind's owner, or a home's own keys.</summary>
internal sealed class DatabaseFillSource(IKeyValueDatabase database) : IFillSource
{
    public async ValueTask<SourcedValue> ReadAsync(RawJson key, Timestamp startedAt, CancellationToken cancellationToken) =>
        SourcedValue.Cacheable(await database.ReadAsync(key, cancellationToken));
}
