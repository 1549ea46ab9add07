using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.WriteBehind;

/// <summary>The owner's dirty buffer as replication sees it: what to copy again, and what recovery brings back.</summary>
internal interface IReplicatedBuffer
{
    /// <summary>Every dirty entry whose key <paramref name="filter"/> picks (copied again to a backup that restarted).</summary>
    List<DirtySnapshot> DirtyEntries(Func<RawJson, bool> filter);

    /// <summary>A dirty entry the backup held: becomes dirty here unless this node already has that version or a newer one.</summary>
    void Adopt(BackupEntry entry);

    /// <summary>The backup flushed this version itself: the entry goes if it is that version or older, and so does any cached copy.</summary>
    void Forget(FlushedEntry flushed);

    /// <summary>
    /// Gives the key's dirty entry, if there is one, <paramref name="version"/> (higher than its own): a
    /// later write was abandoned, and the backup must keep a copy of the entry above that write's version.
    /// </summary>
    /// <returns>False when the key is not dirty here.</returns>
    bool Renumber(RawJson key, long version);

    /// <summary>Flushing may be possible again (custody came back).</summary>
    void WakeFlusher();
}
