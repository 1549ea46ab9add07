using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// No cache at all: every request goes to the database. Not a strategy anyone should run; it is the
/// baseline the benchmarks measure the caching strategies against (<c>CACHENODE_STRATEGY=proxy</c>).
/// </summary>
internal sealed class ProxyStrategy(IKeyValueDatabase database) : ICacheStrategy
{
    public string Name => "proxy";

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        database.ReadAsync(key, cancellationToken);

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default) =>
        database.WriteAsync(key, value, cancellationToken);

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default) =>
        database.CasAsync(key, from, to, createIfNotExists, cancellationToken);

    // Nothing is cached, so nothing can be stale.
    public ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
