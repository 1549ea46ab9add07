using System.Collections.Concurrent;
using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// A holder's volume leases, one per home: which run of the home granted it, until when (on this node's
/// clock, counted from when the request that renewed it was sent), and the last drop-list entry applied.
/// A copy filled from a home is served only while that home's volume, from the same run, is valid.
/// </summary>
/// <remarks>
/// The cache reads a home's volume under its own lock, so a volume is an immutable snapshot replaced
/// whole: <see cref="Apply"/> drops the listed keys first and publishes the extended volume after, so a
/// lookup that sees the extension also sees the drops.
/// </remarks>
internal sealed class HomeVolumes : ICopyCoverage
{
    private readonly Lock _applying = new();
    private readonly ConcurrentDictionary<string, HomeVolume> _homes = new(StringComparer.Ordinal);
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly TickSpan _heldFor;

    public HomeVolumes(LeaseTiming timing, TimeProvider time)
    {
        _timing = timing;
        _time = time;
        _heldFor = time.SpanRoundedDown(timing.HeldFor);
    }

    /// <summary>Whether a copy granted by run <paramref name="run"/> of <paramref name="home"/> may be served at <paramref name="now"/>.</summary>
    public bool Covers(string home, long run, Timestamp now) =>
        Check(new CoverageTag(home, run), now) is CoverageState.Covered or CoverageState.CoveredRenewDue;

    /// <summary>What the home's volume says of a copy it (in run <see cref="CoverageTag.Run"/>) granted.</summary>
    public CoverageState Check(CoverageTag tag, Timestamp now)
    {
        var volume = Of(tag.Home);
        if (volume.Run != tag.Run)
        {
            // A copy from before a newer run was seen is gone; one from a run not yet seen cannot exist
            // (the volume is applied before the fill that carried it installs), so it is gone too.
            return CoverageState.Gone;
        }

        if (now >= volume.Until)
        {
            return CoverageState.Lapsed;
        }

        return now >= volume.Until - new TickSpan(_heldFor.Ticks / 2) ? CoverageState.CoveredRenewDue : CoverageState.Covered;
    }

    /// <summary>The home's volume as it stands (run 0 and long ago if none was ever granted).</summary>
    public HomeVolume Of(string home) => _homes.GetValueOrDefault(home, HomeVolume.None);

    /// <summary>
    /// Applies what came with a volume the home granted to a request sent at <paramref name="sentAt"/>:
    /// every listed key not applied yet goes through <paramref name="drop"/> first, then the volume is
    /// extended. A grant from an earlier run of the home than the one known is ignored.
    /// </summary>
    public void Apply(string home, VolumeGrant grant, Timestamp sentAt, Action<RawJson> drop)
    {
        lock (_applying)
        {
            var volume = Of(home);
            if (grant.Run < volume.Run)
            {
                return;
            }

            if (grant.Run > volume.Run)
            {
                // A new run of the home: nothing granted by an earlier one is covered any more, and its
                // entries are numbered afresh.
                volume = HomeVolume.None with { Run = grant.Run };
            }

            foreach (var entry in grant.Drops)
            {
                if (entry.Seq > volume.AppliedSeq)
                {
                    drop(entry.Key);
                }
            }

            // The home waits out the volume it counts (its own lease_ms): never hold it longer than that.
            var heldFor = grant.Length < _timing.Lease ? _time.SpanRoundedDown(_timing.HeldForLease(grant.Length)) : _heldFor;
            _homes[home] = volume with
            {
                AppliedSeq = Math.Max(volume.AppliedSeq, grant.LastSeq),
                Until = heldFor > TickSpan.Zero ? Timestamp.Max(volume.Until, sentAt + heldFor) : volume.Until,
            };
        }
    }
}

/// <summary>One home's volume on the holder: its run, until when it covers that run's copies, the last drop applied.</summary>
internal sealed record HomeVolume(long Run, Timestamp Until, long AppliedSeq)
{
    public static readonly HomeVolume None = new(0, Timestamp.LongAgo, 0);
}
