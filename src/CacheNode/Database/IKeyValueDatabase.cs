using CacheNode.Protocol;

namespace CacheNode.Database;

/// <summary>
/// The source of truth behind the cache. Expected outcomes (missing key, failed compare) are results;
/// failures are <see cref="NodeErrorException"/>s whose code says whether the operation may have happened.
/// </summary>
internal interface IKeyValueDatabase
{
    /// <summary>Name reported by <c>stats</c> (<c>local</c>, <c>lin-kv</c>, <c>seq-kv</c>).</summary>
    string Name { get; }

    ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default);

    ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default);

    ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default);
}
