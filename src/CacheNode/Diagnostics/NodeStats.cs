namespace CacheNode.Diagnostics;

/// <summary>The node's counters, bumped lock-free from any thread and reported by <c>stats</c>.</summary>
internal sealed class NodeStats
{
    private long _hits;
    private long _negativeHits;
    private long _misses;
    private long _fills;
    private long _coalescedWaits;
    private long _rejectedStaleFills;
    private long _earlyRefreshes;
    private long _dbReads;
    private long _dbWrites;
    private long _evictions;
    private long _invalidationsSent;
    private long _invalidationsReceived;
    private long _flushed;
    private long _flushRetries;
    private long _coalescedWrites;
    private long _rejectedWrites;
    private long _bypassReads;
    private long _peerFills;
    private long _fillsServed;
    private long _fillsServedFromCache;
    private long _homeUnreachableReads;
    private long _leaseWaits;
    private long _peerMessages;
    private long _forwarded;
    private long _orphanFlushed;
    private long _recoveredEntries;
    private long _backupFailures;

    public long Hits => Volatile.Read(ref _hits);
    public long NegativeHits => Volatile.Read(ref _negativeHits);
    public long Misses => Volatile.Read(ref _misses);
    public long Fills => Volatile.Read(ref _fills);
    public long CoalescedWaits => Volatile.Read(ref _coalescedWaits);
    public long RejectedStaleFills => Volatile.Read(ref _rejectedStaleFills);
    public long EarlyRefreshes => Volatile.Read(ref _earlyRefreshes);
    public long DbReads => Volatile.Read(ref _dbReads);
    public long DbWrites => Volatile.Read(ref _dbWrites);
    public long Evictions => Volatile.Read(ref _evictions);
    public long InvalidationsSent => Volatile.Read(ref _invalidationsSent);
    public long InvalidationsReceived => Volatile.Read(ref _invalidationsReceived);
    public long Flushed => Volatile.Read(ref _flushed);
    public long FlushRetries => Volatile.Read(ref _flushRetries);
    public long CoalescedWrites => Volatile.Read(ref _coalescedWrites);
    public long RejectedWrites => Volatile.Read(ref _rejectedWrites);
    public long BypassReads => Volatile.Read(ref _bypassReads);
    public long PeerFills => Volatile.Read(ref _peerFills);
    public long FillsServed => Volatile.Read(ref _fillsServed);
    public long FillsServedFromCache => Volatile.Read(ref _fillsServedFromCache);
    public long HomeUnreachableReads => Volatile.Read(ref _homeUnreachableReads);
    public long LeaseWaits => Volatile.Read(ref _leaseWaits);
    public long PeerMessages => Volatile.Read(ref _peerMessages);
    public long Forwarded => Volatile.Read(ref _forwarded);
    public long OrphanFlushed => Volatile.Read(ref _orphanFlushed);
    public long RecoveredEntries => Volatile.Read(ref _recoveredEntries);
    public long BackupFailures => Volatile.Read(ref _backupFailures);

    /// <summary>Write-behind's flush lag: from the oldest write a flush covers being staged to the database acking it.</summary>
    public LagHistogram FlushLag { get; } = new();

    public void Hit(bool negative)
    {
        Interlocked.Increment(ref _hits);
        if (negative)
        {
            Interlocked.Increment(ref _negativeHits);
        }
    }

    public void Miss() => Interlocked.Increment(ref _misses);
    public void Fill() => Interlocked.Increment(ref _fills);
    public void CoalescedWait() => Interlocked.Increment(ref _coalescedWaits);
    public void RejectedStaleFill() => Interlocked.Increment(ref _rejectedStaleFills);
    public void EarlyRefresh() => Interlocked.Increment(ref _earlyRefreshes);
    public void DbRead() => Interlocked.Increment(ref _dbReads);
    public void DbWrite() => Interlocked.Increment(ref _dbWrites);
    public void Eviction() => Interlocked.Increment(ref _evictions);
    public void InvalidationSent() => Interlocked.Increment(ref _invalidationsSent);
    public void InvalidationReceived() => Interlocked.Increment(ref _invalidationsReceived);
    public void FlushedEntry(TimeSpan lag)
    {
        Interlocked.Increment(ref _flushed);
        FlushLag.Record(lag);
    }

    public void FlushRetry() => Interlocked.Increment(ref _flushRetries);
    public void CoalescedWrite() => Interlocked.Increment(ref _coalescedWrites);
    public void RejectedWrite() => Interlocked.Increment(ref _rejectedWrites);

    /// <summary>A read that went straight to the database during the startup fence.</summary>
    public void BypassRead() => Interlocked.Increment(ref _bypassReads);

    /// <summary>A miss filled from the key's home (a <c>fill</c> sent).</summary>
    public void PeerFill() => Interlocked.Increment(ref _peerFills);

    /// <summary>A peer's <c>fill</c> answered as the key's home (its lookup is not a hit or miss of this node's clients).</summary>
    public void FillServed(bool fromCache)
    {
        Interlocked.Increment(ref _fillsServed);
        if (fromCache)
        {
            Interlocked.Increment(ref _fillsServedFromCache);
        }
    }

    /// <summary>A miss that read the database directly because the key's home did not answer a fill.</summary>
    public void HomeUnreachableRead() => Interlocked.Increment(ref _homeUnreachableReads);

    /// <summary>A write waited out a holder's key lease because the holder did not acknowledge in time.</summary>
    public void LeaseWait() => Interlocked.Increment(ref _leaseWaits);

    /// <summary>A revoke message sent to a peer (one message may carry many keys).</summary>
    public void PeerMessage() => Interlocked.Increment(ref _peerMessages);

    /// <summary>A request sent on to the key's owner (write-behind in a cluster).</summary>
    public void ForwardedRequest() => Interlocked.Increment(ref _forwarded);

    /// <summary>A backup wrote an unreachable owner's dirty entry to the database itself.</summary>
    public void OrphanFlush() => Interlocked.Increment(ref _orphanFlushed);

    /// <summary>A restarted (or cut off) owner took back a dirty entry its backup held.</summary>
    public void RecoveredEntry() => Interlocked.Increment(ref _recoveredEntries);

    /// <summary>A write's backup copy was not acknowledged in time: the write failed (indefinitely).</summary>
    public void BackupFailure() => Interlocked.Increment(ref _backupFailures);
}
