using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>A key whose newest value is not in the database yet. Only <see cref="DirtyBuffer"/> touches it, under its lock.</summary>
internal sealed class DirtyEntry
{
    public DirtyEntry(RawJson value, long version, long sequence, Timestamp now, WriteTicket? ticket)
    {
        Ticket = ticket;
        Value = value;
        Version = version;
        Generation = sequence;
        FirstUnflushedSequence = sequence;
        DirtySince = now;
    }

    /// <summary>The cache's record of the write, kept in progress until the database has the value (none for a backup's copy).</summary>
    public WriteTicket? Ticket { get; }

    /// <summary>The newest value: older ones are coalesced away.</summary>
    public RawJson Value { get; set; }

    /// <summary>
    /// The write's version: higher for every later write of the key, across restarts too (the owner's
    /// replication numbers it), so a flush knows whether the value changed while it was in flight.
    /// </summary>
    public long Version { get; set; }

    /// <summary>Write sequence number of the oldest write whose value is not yet in the database.</summary>
    public long FirstUnflushedSequence { get; set; }

    /// <summary>From when the write delay of the oldest unflushed write counts.</summary>
    public Timestamp DirtySince { get; set; }

    /// <summary>First write that arrived while a flush of this key was in flight (0: none).</summary>
    public long WrittenDuringFlushSequence { get; set; }

    public Timestamp WrittenDuringFlushAt { get; set; }

    public bool InFlight { get; set; }

    /// <summary>
    /// The buffer's sequence number when this entry was created, unique: a flush's outcome applies only to
    /// the entry it was taken from, not to a later entry of the same key.
    /// </summary>
    public long Generation { get; }

    public int Failures { get; set; }

    /// <summary>Backoff: not to be flushed again before this.</summary>
    public Timestamp RetryAt { get; set; }
}
