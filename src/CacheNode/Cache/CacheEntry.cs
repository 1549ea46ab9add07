using CacheNode.Database;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>
/// One cached value (or a cached "missing"), also a node of the SIEVE queue. Only <see cref="Visited"/>
/// changes on a hit, so hits never reorder the queue.
/// </summary>
internal sealed class CacheEntry
{
    public CacheEntry(RawJson key, ReadResult value, Timestamp filledAt, Timestamp validUntil, TickSpan fillDuration, Timestamp renewFrom, CoverageTag? coverage = null)
    {
        Coverage = coverage;
        Key = key;
        Value = value;
        FilledAt = filledAt;
        ValidUntil = validUntil;
        FillDuration = fillDuration;
        RenewFrom = renewFrom;
    }

    public RawJson Key { get; }

    public ReadResult Value { get; }

    /// <summary>When the fill (or write) that produced the value started.</summary>
    public Timestamp FilledAt { get; }

    /// <summary>From when the entry must not be served (TTL with jitter, capped by the lease).</summary>
    public Timestamp ValidUntil { get; }

    /// <summary>
    /// For a copy served under a key lease: from when a hit also renews it (fills again in the background),
    /// so a key a node keeps reading stays cached across leases. <see cref="Timestamp.Never"/> otherwise.
    /// </summary>
    public Timestamp RenewFrom { get; }

    /// <summary>Whose volume lease must also cover the copy (a home's, in a cluster); null: nobody's.</summary>
    public CoverageTag? Coverage { get; }

    /// <summary>How long the fill took: XFetch's delta.</summary>
    public TickSpan FillDuration { get; }

    /// <summary>SIEVE's visited bit: set on every hit, cleared as the eviction hand passes.</summary>
    public bool Visited { get; set; }

    public CacheEntry? Newer { get; set; }

    public CacheEntry? Older { get; set; }
}
