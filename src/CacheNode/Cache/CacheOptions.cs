namespace CacheNode.Cache;

/// <summary>How long entries live and how many the cache holds.</summary>
/// <param name="MaxEntries">Bound on cached entries, missing-key entries included.</param>
/// <param name="Ttl">Lifetime of a cached value, counted from when its fill started.</param>
/// <param name="TtlJitter">Fraction (0..1) by which each entry's TTL is randomly shortened, so entries filled together do not expire together.</param>
/// <param name="NegativeTtl">Lifetime of a "key does not exist" entry; zero disables negative caching.</param>
/// <param name="StartupFence">
/// How long after the cache is created nothing is served or installed: where the database outlives the
/// node (lin-kv), a write this node's earlier run sent just before it crashed may still land that long
/// after; a value read before then could be overwritten unseen.
/// </param>
/// <param name="HoldReadsDuringWrites">
/// A miss on a key with a write in progress waits up to this long for
/// the write to end instead of reading the database: the write usually ends with the new value cached,
/// so the read costs nothing. Zero reads the database at once.
/// </param>
/// <param name="EarlyRefreshBeta">XFetch's beta: above 0, hot entries are refreshed in the background before they expire.</param>
internal sealed record CacheOptions(
    int MaxEntries,
    TimeSpan Ttl,
    double TtlJitter,
    TimeSpan NegativeTtl,
    TimeSpan StartupFence,
    double EarlyRefreshBeta,
    TimeSpan HoldReadsDuringWrites = default)
{
    public static CacheOptions Default { get; } = new(
        MaxEntries: 100_000,
        Ttl: TimeSpan.FromSeconds(30),
        TtlJitter: 0.1,
        NegativeTtl: TimeSpan.FromSeconds(5),
        StartupFence: TimeSpan.Zero,
        EarlyRefreshBeta: 1.0);
}
