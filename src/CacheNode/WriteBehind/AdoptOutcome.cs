namespace CacheNode.WriteBehind;

/// <summary>What <see cref="DirtyBuffer.Adopt"/> did with an entry.</summary>
internal enum AdoptOutcome
{
    /// <summary>The key was not dirty: the entry is new, and holds the caller's ticket.</summary>
    Added,

    /// <summary>The key was dirty with an older version: the entry took the newer value.</summary>
    Superseded,

    /// <summary>The key was dirty with this version or a newer one already: nothing changed.</summary>
    Kept,
}
