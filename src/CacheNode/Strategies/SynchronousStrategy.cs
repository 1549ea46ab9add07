using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// What write-through and cache-aside share: the database is written before the ack, reads go through
/// the single-flight cache, and the only difference is what a successful write does to the cached copy.
/// </summary>
internal abstract class SynchronousStrategy : ICacheStrategy
{
    private readonly SingleFlightReader _reader;
    private readonly IKeyValueDatabase _database;

    protected SynchronousStrategy(SingleFlightReader reader, IKeyValueDatabase database)
    {
        _reader = reader;
        _database = database;
    }

    public abstract string Name { get; }

    public int QueueDepth => 0;

    /// <summary>What a write that reached the database does to the cached copy of its key.</summary>
    protected abstract WriteCompletion AfterWrite { get; }

    private CacheStore Cache => _reader.Cache;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(key, cancellationToken);

    public async ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        // Until the database answers, the write may or may not have happened: drop the cached copy.
        var completion = WriteCompletion.Invalidate;
        try
        {
            await _database.WriteAsync(key, value, cancellationToken);
            completion = AfterWrite;
        }
        finally
        {
            Cache.EndWrite(ticket, completion, value);
        }
    }

    public async ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        var completion = WriteCompletion.Invalidate;
        try
        {
            var result = await _database.CasAsync(key, from, to, createIfNotExists, cancellationToken);
            // A failed compare changed nothing, so the cached copy stays as good as it was.
            completion = result == CasResult.Ok ? AfterWrite : WriteCompletion.Unchanged;
            return result;
        }
        finally
        {
            Cache.EndWrite(ticket, completion, to);
        }
    }

    public ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        Cache.Invalidate(key);
        return ValueTask.CompletedTask;
    }

    // Every write was in the database before it was acked.
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
