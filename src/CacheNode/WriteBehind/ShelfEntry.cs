using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>What a backup holds for one key of one owner.</summary>
internal sealed class ShelfEntry
{
    public ShelfEntry(ShelfState state, RawJson value, long version, Timestamp? expiresAt = null)
    {
        State = state;
        Value = value;
        Version = version;
        ExpiresAt = expiresAt ?? Timestamp.Never;
    }

    public ShelfState State { get; }

    /// <summary>The dirty value (only in <see cref="ShelfState.Dirty"/>).</summary>
    public RawJson Value { get; }

    public long Version { get; }

    /// <summary>When a <see cref="ShelfState.Dropped"/> record may be forgotten (<see cref="Timestamp.Never"/> for the others).</summary>
    public Timestamp ExpiresAt { get; }
}

internal enum ShelfState
{
    /// <summary>A copy of a dirty value the owner has not flushed yet.</summary>
    Dirty,

    /// <summary>The owner flushed (or abandoned) this version: remembered for a while so a late copy of an older version is not taken.</summary>
    Dropped,

    /// <summary>This backup flushed the version itself while the owner was unreachable; kept until the owner has heard so.</summary>
    FlushedHere,
}
