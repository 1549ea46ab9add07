namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Configurations the search has fully explored without success, used to prune by subsumption rather
/// than only by equality. A configuration is (required set, state, optional set). If (R, s, O) failed,
/// then so does (R, s, O') for every O' that includes O: unused optional operations stay pending forever,
/// so the configuration that used fewer of them can do everything the other can. Without this, every
/// combination of Info operations used so far counts as a new configuration, and refuting a violation
/// late in a history with a few dozen Info operations takes exponential time.
/// </summary>
internal sealed class FailedConfigurations
{
    // Per (required set, state): the optional sets that failed, kept minimal (none includes another).
    private readonly Dictionary<MemoKey, List<ulong[]>> _failed = [];

    /// <summary>True if a failed configuration has the same required set and state, uses no optional operation
    /// that <paramref name="current"/> does not, and owes no consumer unless <paramref name="required"/> does.</summary>
    public bool Covers(MemoKey required, LinearizedSet current) =>
        Covers(_failed, required, current) || (required.MustConsume && Covers(_failed, required with { MustConsume = false }, current));

    public void Add(MemoKey required, ulong[] optional)
    {
        if (!_failed.TryGetValue(required, out var optionalSets))
        {
            _failed.Add(required, [optional]);
            return;
        }

        // Sets including the new one are now redundant.
        optionalSets.RemoveAll(existing => Includes(existing, optional));
        optionalSets.Add(optional);
    }

    private static bool Covers(Dictionary<MemoKey, List<ulong[]>> failed, MemoKey required, LinearizedSet current)
    {
        if (!failed.TryGetValue(required, out var optionalSets))
        {
            return false;
        }

        foreach (var optional in optionalSets)
        {
            if (current.OptionalIncludes(optional))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Includes(ulong[] superset, ulong[] subset)
    {
        for (var i = 0; i < subset.Length; i++)
        {
            if ((subset[i] & ~superset[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
