namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Configurations the search has entered (each is on the current path or has failed), used to prune by
/// subsumption rather than only by equality. A configuration is (required set, state, optional set, whether
/// a consumer is owed). A new configuration is skipped if an entered one has the same required set and state,
/// used no optional operation the new one has not, and owes no consumer unless the new one does: that one
/// can do everything the new one can (unused optional operations stay pending forever), so the new one
/// either fails too or is reachable more cheaply through it. Without the inclusion test, every combination
/// of Info operations used so far counts as a new configuration.
/// </summary>
internal sealed class ExploredConfigurations
{
    // Per (required set, state, obligation): the optional sets entered, kept minimal (none includes another).
    // Usually there is one, stored as the ulong[] itself; several are a List<ulong[]>.
    private readonly Dictionary<MemoKey, object> _entered = [];

    /// <summary>True if an entered configuration has the same required set and state, used no optional operation
    /// that <paramref name="current"/> has not, and owes no consumer unless <paramref name="required"/> does.</summary>
    public bool Covers(MemoKey required, LinearizedSet current) =>
        Covers(required, current, _entered) || (required.MustConsume && Covers(required with { MustConsume = false }, current, _entered));

    public void Add(MemoKey required, ulong[] optional)
    {
        if (!_entered.TryGetValue(required, out var entered))
        {
            _entered.Add(required, optional);
        }
        else if (entered is ulong[] single)
        {
            _entered[required] = Includes(single, optional) ? optional : new List<ulong[]> { single, optional };
        }
        else
        {
            // Sets including the new one are now redundant.
            var sets = (List<ulong[]>)entered;
            sets.RemoveAll(existing => Includes(existing, optional));
            sets.Add(optional);
        }
    }

    private static bool Covers(MemoKey required, LinearizedSet current, Dictionary<MemoKey, object> entered)
    {
        if (!entered.TryGetValue(required, out var sets))
        {
            return false;
        }

        if (sets is ulong[] single)
        {
            return current.OptionalIncludes(single);
        }

        foreach (var optional in (List<ulong[]>)sets)
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
