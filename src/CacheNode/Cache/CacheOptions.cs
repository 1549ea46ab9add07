namespace CacheNode.Cache;

/// <summary>How long entries live and how many the cache holds.</summary>
/// <param name="MaxEntries">Bound on cached entries, missing-key entries included.</param>
/// <param name="Ttl">Lifetime of a cached value, counted from when its fill started.</param>
/// <param name="TtlJitter">Fraction (0..1) by which each entry's TTL is randomly shortened, so entries filled together do not expire together.</param>
/// <param name="NegativeTtl">Lifetime of a "key does not exist" entry; zero disables negative caching.</param>
/// <param name="PeerLeased">
/// In a cluster with write-through or cache-aside: nothing is served or installed except while the node
/// holds a lease from every peer (<see cref="CacheStore.ExtendServingLease"/>); when the lease lapses the
/// whole cache is dropped, since a peer it can no longer hear from may have written anything.
/// </param>
/// <param name="HoldReadsDuringWrites">
/// A miss on a key with a write in progress (this node's, or a peer's revocation) waits up to this long for
/// the write to end instead of reading the database: the write usually ends with the new value cached,
/// so the read costs nothing. Zero reads the database at once.
/// </param>
/// <param name="EarlyRefreshBeta">XFetch's beta: above 0, hot entries are refreshed in the background before they expire.</param>
internal sealed record CacheOptions(
    int MaxEntries,
    TimeSpan Ttl,
    double TtlJitter,
    TimeSpan NegativeTtl,
    bool PeerLeased,
    double EarlyRefreshBeta,
    TimeSpan HoldReadsDuringWrites = default)
{
    public static CacheOptions Default { get; } = new(
        MaxEntries: 100_000,
        Ttl: TimeSpan.FromSeconds(30),
        TtlJitter: 0.1,
        NegativeTtl: TimeSpan.FromSeconds(5),
        PeerLeased: false,
        EarlyRefreshBeta: 1.0);
}
