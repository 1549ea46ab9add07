namespace CacheNode.WriteBehind;

/// <summary>
/// The versions of this node's writes: each above every earlier one's, including those of this node's
/// earlier runs and those taken back from backups at recovery.
/// </summary>
internal sealed class WriteVersions
{
    /// <summary>Far above any real version (start time in ms × 1000 plus writes), far below overflow.</summary>
    public const long Max = long.MaxValue / 4;

    private long _last;

    public WriteVersions(long incarnation)
    {
        // Versions continue above any earlier run's: that run started earlier, so its counter began lower
        // (and wrote fewer than a thousand versions per millisecond it ran).
        _last = checked(incarnation * 1000);
    }

    public long Next() => Interlocked.Increment(ref _last);

    /// <summary>Makes every version from here on higher than <paramref name="version"/>.</summary>
    public void RaiseAbove(long version)
    {
        var current = Volatile.Read(ref _last);
        while (version > current)
        {
            var seen = Interlocked.CompareExchange(ref _last, version, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
