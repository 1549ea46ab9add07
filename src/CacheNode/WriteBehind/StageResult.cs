namespace CacheNode.WriteBehind;

/// <summary>Outcome of putting a write into the dirty buffer.</summary>
internal enum StageResult
{
    /// <summary>The key became dirty and was queued for flushing.</summary>
    Staged,

    /// <summary>The key was already dirty: its value was replaced, one database write saved.</summary>
    Coalesced,

    /// <summary>The buffer is at capacity and the key is not in it: nothing was staged.</summary>
    Full,

    /// <summary>The node is draining for shutdown: nothing was staged.</summary>
    Closed,
}
