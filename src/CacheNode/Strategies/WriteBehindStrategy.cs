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
        // Once the database has a key's value, its write is over: the cache may fill it again.
        _flusher = new WriteBehindFlusher(_buffer, database, options, time, stats, log, ticket => Cache.EndWrite(ticket, WriteCompletion.Invalidate));
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
        // The write stays in progress in the cache until its flush lands, so no fill can install the
        // database's older value meanwhile (reads are served from the dirty buffer until then).
        var ticket = Cache.BeginWrite(key);
        switch (_buffer.TryStage(key, value, _time.GetTimestamp(), ticket))
        {
            case StageResult.Staged:
                // Drop any older cached copy now; the ticket ends when the flusher writes the value.
                Cache.Invalidate(key);
                _flusher.Wake();
                return;
            case StageResult.Coalesced:
                // The key's first dirty write holds the key in progress already.
                Cache.EndWrite(ticket, WriteCompletion.Invalidate);
                _stats.CoalescedWrite();
                return;
            case StageResult.Closed:
                Cache.EndWrite(ticket, WriteCompletion.Unchanged);
                throw NodeErrorException.Unavailable("node is shutting down");
        }

        if (_options.Overflow == OverflowPolicy.Sync)
        {
            // Full queue: degrade to write-through for this write rather than refuse it.
            var completion = WriteCompletion.Invalidate;
            try
            {
                await _database.WriteAsync(key, value, cancellationToken);
                completion = WriteCompletion.Install;
            }
            finally
            {
                Cache.EndWrite(ticket, completion, value);
            }

            return;
        }

        Cache.EndWrite(ticket, WriteCompletion.Unchanged);
        _stats.RejectedWrite();
        throw NodeErrorException.Unavailable($"write-behind queue is full ({_options.QueueCapacity} dirty keys); try again later");
    }
}
