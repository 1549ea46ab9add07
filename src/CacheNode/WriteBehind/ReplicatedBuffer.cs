using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// The owner's dirty buffer as replication sees it: what to copy again, and what recovery brings back.
/// It needs neither replication nor the flusher, so it is built before both: it keeps the cache in step
/// with what recovery changes in the buffer, and wakes the flusher through the signal the flusher waits on.
/// </summary>
internal sealed class ReplicatedBuffer(DirtyBuffer buffer, CacheStore cache, AsyncSignal flusherWake, TimeProvider time)
{
    /// <summary>Keys whose newest staged value no backup has confirmed yet (see <see cref="UnconfirmedCopies"/>).</summary>
    public UnconfirmedCopies Unconfirmed { get; } = new();

    /// <summary>Every dirty entry whose key <paramref name="filter"/> picks (copied again to a backup that restarted).</summary>
    public List<DirtySnapshot> DirtyEntries(Func<RawJson, bool> filter) => buffer.Snapshot(filter);

    /// <summary>A dirty entry the backup held: becomes dirty here unless this node already has that version or a newer one.</summary>
    public void Adopt(BackupEntry entry)
    {
        // Held in progress like any dirty write, so no fill brings the database's older value back.
        var ticket = cache.BeginWrite(entry.Key);
        if (buffer.Adopt(entry.Key, entry.Value, entry.Version, time.Now(), ticket) != AdoptOutcome.Added)
        {
            cache.EndWrite(ticket, WriteCompletion.Invalidate);
        }

        cache.Invalidate(entry.Key);
        // The backup held this version: it is confirmed, whatever this node had marked.
        Unconfirmed.Confirm(entry.Key, entry.Version);
        WakeFlusher();
    }

    /// <summary>The backup flushed this version itself: the entry goes if it is that version or older, and so does any cached copy.</summary>
    public void Forget(FlushedEntry flushed)
    {
        // In the database: nothing up to that version can be lost any more.
        Unconfirmed.Confirm(flushed.Key, flushed.Version);
        var (_, ticket) = buffer.Forget(flushed.Key, flushed.Version);
        if (ticket is { } written)
        {
            cache.EndWrite(written, WriteCompletion.Invalidate);
        }

        // The database holds a value this node may never have cached: the next read fills it.
        cache.Invalidate(flushed.Key);
    }

    /// <summary>
    /// Gives the key's dirty entry, if there is one, <paramref name="version"/> (higher than its own): a
    /// later write was abandoned, and the backup must keep a copy of the entry above that write's version.
    /// </summary>
    /// <returns>False when the key is not dirty here.</returns>
    public bool Renumber(RawJson key, long version) => buffer.Renumber(key, version, time.Now());

    /// <summary>Flushing may be possible again (custody came back).</summary>
    public void WakeFlusher() => flusherWake.Set();
}
