namespace CacheNode.Cache;

/// <summary>
/// Everything the cache knows about one key: its entry, its epoch, its in-flight fill and how many writes
/// are in progress. A slot lives while any of those exist, so an epoch is never forgotten while a fill or
/// write that depends on it is still running.
/// </summary>
internal sealed class KeySlot
{
    public KeySlot(long epoch)
    {
        Epoch = epoch;
    }

    public CacheEntry? Entry { get; set; }

    /// <summary>Moves (to a value unique across the cache) on every write start, write end and invalidation.</summary>
    public long Epoch { get; set; }

    public FillFlight? Fill { get; set; }

    public int PendingWrites { get; set; }

    /// <summary>
    /// The entry a write took out of service when it began (not in the eviction queue): it comes back only
    /// if the write turns out to have changed nothing.
    /// </summary>
    public CacheEntry? SetAside { get; set; }

    /// <summary>Completed when the last pending write ends; readers that chose to wait for it hold this.</summary>
    public TaskCompletionSource? WritesDone { get; set; }

    public bool IsIdle => Entry is null && Fill is null && PendingWrites == 0 && SetAside is null;
}
