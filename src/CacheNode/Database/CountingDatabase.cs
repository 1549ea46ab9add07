using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Database;

/// <summary>Counts every database round trip for <c>stats</c> (a <c>cas</c> counts as a write).</summary>
internal sealed class CountingDatabase : IKeyValueDatabase
{
    private readonly IKeyValueDatabase _inner;
    private readonly NodeStats _stats;

    public CountingDatabase(IKeyValueDatabase inner, NodeStats stats)
    {
        _inner = inner;
        _stats = stats;
    }

    public string Name => _inner.Name;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        _stats.DbRead();
        return _inner.ReadAsync(key, cancellationToken);
    }

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        _stats.DbWrite();
        return _inner.WriteAsync(key, value, cancellationToken);
    }

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        _stats.DbWrite();
        return _inner.CasAsync(key, from, to, createIfNotExists, cancellationToken);
    }
}
