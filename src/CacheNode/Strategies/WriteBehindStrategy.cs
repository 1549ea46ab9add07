using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// Write-behind: a write is acked once it is in the dirty buffer (and the cache); the flusher writes it to
/// the database later. Reads see the dirty value first, so they always return the latest acked write.
/// </summary>
internal sealed class WriteBehindStrategy : ICacheStrategy
{
    private readonly SingleFlightReader _reader;
    private readonly IKeyValueDatabase _database;
    private readonly DirtyBuffer _buffer;
    private readonly WriteBehindFlusher _flusher;
    private readonly KeyedAsyncLock _keyLocks = new();
    private readonly WriteBehindOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;

    public WriteBehindStrategy(SingleFlightReader reader, IKeyValueDatabase database, WriteBehindOptions options, TimeProvider time, NodeStats stats, Log log)
    {
        _reader = reader;
        _database = database;
        _options = options;
        _time = time;
        _stats = stats;
        _buffer = new DirtyBuffer(options.QueueCapacity);
        _flusher = new WriteBehindFlusher(_buffer, database, options, time, stats, log);
    }

    public string Name => "write-behind";

    public int QueueDepth => _buffer.Count;

    private CacheStore Cache => _reader.Cache;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        if (_buffer.TryGet(key, out var dirty))
        {
            // The dirty value is newer than anything the database or a fill could say.
            _stats.Hit(negative: false);
            return ValueTask.FromResult(ReadResult.Of(dirty));
        }

        return _reader.ReadAsync(key, cancellationToken);
    }

    public async ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        using var keyLock = await _keyLocks.AcquireAsync(key, cancellationToken);
        await StageAsync(key, value, cancellationToken);
    }

    public async ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        // Compare and set must be one step per key: the key lock keeps other writes out in between.
        using var keyLock = await _keyLocks.AcquireAsync(key, cancellationToken);
        var current = _buffer.TryGet(key, out var dirty) ? ReadResult.Of(dirty) : await _reader.ReadAsync(key, cancellationToken);
        if (!current.Found && !createIfNotExists)
        {
            return CasResult.KeyMissing;
        }

        if (current.Found && current.Value != from)
        {
            return CasResult.Mismatch;
        }

        await StageAsync(key, to, cancellationToken);
        return CasResult.Ok;
    }

    public ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        // Only the clean cached copy goes; a dirty value is the truth until it is flushed.
        Cache.Invalidate(key);
        return ValueTask.CompletedTask;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var through = _buffer.LastSequence;
        using var hurry = _flusher.Hurry();
        await _buffer.WaitFlushedThroughAsync(through, cancellationToken);
    }

    public async ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) =>
        await _flusher.DrainAsync(budget, cancellationToken);

    public ValueTask DisposeAsync() => _flusher.DisposeAsync();

    private async ValueTask StageAsync(RawJson key, RawJson value, CancellationToken cancellationToken)
    {
        var ticket = Cache.BeginWrite(key);
        var completion = WriteCompletion.Invalidate;
        try
        {
            switch (_buffer.TryStage(key, value, _time.GetTimestamp()))
            {
                case StageResult.Staged:
                    _flusher.Wake();
                    completion = WriteCompletion.Install;
                    return;
                case StageResult.Coalesced:
                    _stats.CoalescedWrite();
                    completion = WriteCompletion.Install;
                    return;
            }

            if (_options.Overflow == OverflowPolicy.Sync)
            {
                // Full queue: degrade to write-through for this write rather than refuse it.
                await _database.WriteAsync(key, value, cancellationToken);
                completion = WriteCompletion.Install;
                return;
            }

            completion = WriteCompletion.Unchanged;
            _stats.RejectedWrite();
            throw NodeErrorException.Unavailable($"write-behind queue is full ({_options.QueueCapacity} dirty keys); try again later");
        }
        finally
        {
            Cache.EndWrite(ticket, completion, value);
        }
    }
}
