namespace CacheNode.Cache;

/// <summary>How a finished write leaves the cached copy of its key.</summary>
internal enum WriteCompletion
{
    /// <summary>The write changed the value: cache it if no other write overlapped, else drop the entry.</summary>
    Install,

    /// <summary>The write changed the value (or may have): drop the cached entry.</summary>
    Invalidate,

    /// <summary>
    /// The write definitely changed nothing (a failed compare-and-set): the entry set aside when it began
    /// comes back, if no other write or invalidation touched the key meanwhile.
    /// </summary>
    Unchanged,
}
