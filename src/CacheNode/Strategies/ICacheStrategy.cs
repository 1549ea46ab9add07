using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// A write strategy: how reads, writes and compare-and-sets move between the cache and the database.
/// Failures are <see cref="NodeErrorException"/>s that say whether the operation may have happened.
/// </summary>
internal interface ICacheStrategy : IAsyncDisposable
{
    /// <summary>The name users select it by (<c>write-through</c>, <c>cache-aside</c>, <c>write-behind</c>).</summary>
    string Name { get; }

    ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default);

    ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default);

    ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default);

    /// <summary>Drops the cached copy of a key (never the database's value, never a dirty write).</summary>
    ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default);

    /// <summary>Returns once every write acked before the call is in the database.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>At shutdown: writes everything still dirty to the database, within <paramref name="budget"/>.</summary>
    /// <returns>How many dirty entries could not be written.</returns>
    ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default);
}
