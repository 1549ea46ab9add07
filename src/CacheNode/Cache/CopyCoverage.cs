using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>
/// Who must still vouch for a cached copy, beyond its own key lease: in a write-through or cache-aside
/// cluster, the volume lease of the home (and of the home's run) that granted it.
/// </summary>
internal readonly record struct CoverageTag(string Home, long Run);

/// <summary>Whether a copy's <see cref="CoverageTag"/> still covers it (the cluster's volume leases).</summary>
internal interface ICopyCoverage
{
    CoverageState Check(CoverageTag tag, Timestamp now);
}

/// <summary>Renews a home's volume lease (one renewal per home at a time).</summary>
internal interface IVolumeRenewer
{
    /// <summary>Completes when the home answered (and what it listed was dropped), or throws if it did not.</summary>
    ValueTask RenewAsync(string home, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ICopyCoverage.Check"/> says of a copy.</summary>
internal enum CoverageState
{
    /// <summary>Covered: serve it.</summary>
    Covered,

    /// <summary>Covered, in the volume's second half: serve it and renew in the background.</summary>
    CoveredRenewDue,

    /// <summary>The home's volume (same run) ran out: renew it, then look again.</summary>
    Lapsed,

    /// <summary>Granted by another run of the home: never served again.</summary>
    Gone,
}
