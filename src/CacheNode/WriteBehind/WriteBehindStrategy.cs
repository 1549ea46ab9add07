using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Strategies;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// Write-behind: a write is acked once it is in the dirty buffer (and the cache) and, in a cluster, on the
/// key's backup node too; the flusher writes it to the database later. Reads see the dirty value first,
/// so they always return the latest acked write.
/// </summary>
internal sealed class WriteBehindStrategy : ICacheStrategy, IWriteBehindStats
{
    private readonly SingleFlightReader _reader;
    private readonly IKeyValueDatabase _database;
    private readonly DirtyBuffer _buffer;
    private readonly WriteBehindFlusher _flusher;
    private readonly IDirtyReplication _replication;
    private readonly KeyedAsyncLock _keyLocks = new();
    private readonly WritesInFlight _writesInFlight = new();
    private readonly WriteBehindOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;

    /// <param name="flusher">The flusher of <paramref name="buffer"/>, which asks <paramref name="replication"/> whether it may flush.</param>
    public WriteBehindStrategy(
        SingleFlightReader reader,
        IKeyValueDatabase database,
        DirtyBuffer buffer,
        WriteBehindFlusher flusher,
        IDirtyReplication replication,
        WriteBehindOptions options,
        NodeServices services)
    {
        _reader = reader;
        _database = database;
        _buffer = buffer;
        _flusher = flusher;
        _replication = replication;
        _options = options;
        _time = services.Time;
        _stats = services.Stats;
    }

    public string Name => "write-behind";

    public int QueueDepth => _buffer.Count;

    public long? OldestDirtySince => _buffer.OldestDirtySince?.Ticks;

    public string BackupDescription => _replication.BackupDescription;

    public int BackupEntries => _replication.BackupEntries;

    public bool Recovering => _replication.Recovering;

    private CacheStore Cache => _reader.Cache;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        RequireReady(key);
        // A write of the key in flight here may already be acked by the backup (it answers a forwarding
        // node before this node hears it holds the copy): the read waits until that write has staged.
        return _keyLocks.IsHeld(key) ? ReadAfterWritesAsync(key, cancellationToken) : ReadNowAsync(key, cancellationToken);
    }

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default) =>
        WriteAsync(key, value, answer: null, cancellationToken);

    /// <summary>A write; with <paramref name="answer"/> (forwarded by a peer), the backup acks it to that peer once it holds the copy.</summary>
    public async ValueTask WriteAsync(RawJson key, RawJson value, ForwarderAnswer? answer, CancellationToken cancellationToken = default)
    {
        RequireReady(key);
        using var keyLock = await _keyLocks.AcquireAsync(key, cancellationToken);
        using var inFlight = _writesInFlight.Begin();
        await StageAsync(key, value, answer, cancellationToken);
    }

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default) =>
        CasAsync(key, from, to, createIfNotExists, answer: null, cancellationToken);

    /// <summary>A cas; with <paramref name="answer"/> (forwarded by a peer), the backup acks a successful one to that peer once it holds the copy.</summary>
    public async ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, ForwarderAnswer? answer, CancellationToken cancellationToken = default)
    {
        RequireReady(key);
        // Compare and set must be one step per key: the key lock keeps other writes out in between.
        using var keyLock = await _keyLocks.AcquireAsync(key, cancellationToken);
        using var inFlight = _writesInFlight.Begin();
        // A mismatch is definite, so it must not rest on a value that may yet be lost.
        RequireConfirmed(key);
        var current = _buffer.TryGet(key, out var dirty) ? ReadResult.Of(dirty) : await _reader.ReadAsync(key, cancellationToken);
        if (!current.Found && !createIfNotExists)
        {
            return CasResult.KeyMissing;
        }

        if (current.Found && current.Value != from)
        {
            return CasResult.Mismatch;
        }

        await StageAsync(key, to, answer, cancellationToken);
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
        if (_replication.Recovering)
        {
            // Its backup may hold acked writes this run has yet to take back: none of them is in the database.
            throw NodeErrorException.Unavailable("this node restarted and is taking back its dirty entries from their backup; flush again shortly");
        }

        // A write the backup acked may not be staged yet: the writes in flight now go first.
        await _writesInFlight.WaitForCurrentAsync(cancellationToken);
        var through = _buffer.LastSequence;
        using (_flusher.Hurry())
        {
            await _buffer.WaitFlushedThroughAsync(through, cancellationToken);
        }

        // What this node holds for owners that cannot flush it themselves is its to flush too.
        await _replication.FlushOrphansAsync(cancellationToken);
    }

    public async ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) =>
        await _flusher.DrainAsync(budget, cancellationToken);

    public ValueTask DisposeAsync() => _flusher.DisposeAsync();

    private void RequireReady(RawJson key)
    {
        if (!_replication.IsReady(key))
        {
            throw NodeErrorException.Unavailable("this node restarted and is taking back its dirty entries from their backup; try again shortly");
        }
    }

    private async ValueTask<ReadResult> ReadAfterWritesAsync(RawJson key, CancellationToken cancellationToken)
    {
        // Taken once no write holds it: every write that took the lock before this read asked has staged.
        using (await _keyLocks.AcquireAsync(key, cancellationToken))
        {
        }

        return await ReadNowAsync(key, cancellationToken);
    }

    private ValueTask<ReadResult> ReadNowAsync(RawJson key, CancellationToken cancellationToken)
    {
        RequireConfirmed(key);
        if (_buffer.TryGet(key, out var dirty))
        {
            // The dirty value is newer than anything the database or a fill could say.
            _stats.Hit(negative: false);
            return ValueTask.FromResult(ReadResult.Of(dirty));
        }

        return _reader.ReadAsync(key, cancellationToken);
    }

    private void RequireConfirmed(RawJson key)
    {
        if (!_replication.IsConfirmed(key))
        {
            throw NodeErrorException.Unavailable("the key's newest value is not confirmed on its backup yet; try again shortly");
        }
    }

    private async ValueTask StageAsync(RawJson key, RawJson value, ForwarderAnswer? answer, CancellationToken cancellationToken)
    {
        if (_buffer.IsClosed)
        {
            throw NodeErrorException.Unavailable("node is shutting down");
        }

        if (!_buffer.HasRoomFor(key) && _options.Overflow == OverflowPolicy.Reject)
        {
            // Refused before anything was copied anywhere: a definite error.
            _stats.RejectedWrite();
            throw QueueFull();
        }

        var version = _replication.NextVersion();
        // The backup holds the value before anything here changes: a read must never see a value that a
        // crash of this node could take back. Under a full queue the copy still goes first, so it
        // supersedes any older copy the backup might otherwise flush over the synchronous write.
        var receipt = await _replication.BackUpAsync(key, value, version, answer, cancellationToken);
        if (receipt.Outcome == CopyOutcome.MayBeHeld)
        {
            // The backup may have acked it for the forwarding node: kept whatever happens, readable (and
            // flushed) once a copy is confirmed. The mark first: the flusher skips marked keys, and one that
            // took the entry between staging and marking would write an unconfirmed value to the database.
            _replication.MarkUnconfirmed(key, version);
            if (StageRegardless(key, value, version) == AdoptOutcome.Kept)
            {
                // The buffer had this very version already: recovery took it back from the backup while
                // the tries were out, so the backup holds it. Confirmed; and its entry may be flushed and
                // gone before any recopy could confirm it (independent review of the chain, finding 19).
                _replication.HeldByBackup(key, version);
            }
            else
            {
                // The recopy after staging: a heartbeat that took it before would have found no entry to copy.
                _replication.Staged(key, receipt);
            }

            throw NodeErrorException.Indefinite($"the backup did not confirm the copy in time; the write will happen (it may have been acked already)");
        }

        // The write stays in progress in the cache until its flush lands, so no fill can install the
        // database's older value meanwhile (reads are served from the dirty buffer until then).
        var ticket = Cache.BeginWrite(key);
        var staged = _buffer.TryStage(key, value, version, _time.Now(), ticket);
        if (answer is not null && staged is StageResult.Closed or StageResult.Full)
        {
            // The backup holds it and has acked it to the forwarding node: it is staged here too (over
            // capacity, or while draining) rather than written through or abandoned, which could lose it.
            Cache.EndWrite(ticket, WriteCompletion.Unchanged);
            StageRegardless(key, value, version);
            _replication.Staged(key, receipt);
            return;
        }

        if (staged is StageResult.Staged or StageResult.Coalesced)
        {
            _replication.Staged(key, receipt);
        }

        switch (staged)
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
                _replication.Abandoned(key, version);
                throw NodeErrorException.Indefinite("node is shutting down; the backup was told to drop the write, which may or may not happen");
        }

        if (_options.Overflow == OverflowPolicy.Sync)
        {
            // Full queue: degrade to write-through for this write rather than refuse it; only with custody,
            // like any write of the key to the database.
            if (!_replication.MayFlush(key))
            {
                Cache.EndWrite(ticket, WriteCompletion.Unchanged);
                _replication.Abandoned(key, version);
                throw NodeErrorException.Indefinite("write-behind queue is full and this node may not write the key through now (no custody from its backup)");
            }

            var completion = WriteCompletion.Invalidate;
            try
            {
                await _database.WriteAsync(key, value, cancellationToken);
                completion = WriteCompletion.Install;
            }
            finally
            {
                Cache.EndWrite(ticket, completion, value);
                // In the database, or failed indefinitely: the key is not dirty here, so either way the
                // backup's copy may go.
                _replication.Abandoned(key, version);
            }

            return;
        }

        // The queue filled up while the copy was on its way: the backup is told to drop it, but until it
        // hears, a crash here could still bring the write back, so the error is not a definite one.
        Cache.EndWrite(ticket, WriteCompletion.Unchanged);
        _replication.Abandoned(key, version);
        _stats.RejectedWrite();
        throw NodeErrorException.Indefinite(QueueFull().Message);
    }

    // Stages the value whatever the buffer's capacity or state: for a write whose copy may have been acked.
    private AdoptOutcome StageRegardless(RawJson key, RawJson value, long version)
    {
        var ticket = Cache.BeginWrite(key);
        var outcome = _buffer.Adopt(key, value, version, _time.Now(), ticket);
        if (outcome != AdoptOutcome.Added)
        {
            // Dirty already (the entry took this value, or holds it or a newer one): the key's first write
            // holds it in progress.
            Cache.EndWrite(ticket, WriteCompletion.Invalidate);
        }

        Cache.Invalidate(key);
        _flusher.Wake();
        return outcome;
    }

    private NodeErrorException QueueFull() =>
        NodeErrorException.Unavailable($"write-behind queue is full ({_options.QueueCapacity} dirty keys); try again later");
}
