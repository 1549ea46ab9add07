namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The configurations of one layer of <see cref="FrontierSearch"/>: per (required set, state), the minimal
/// vectors of Info operations used per class. A configuration that used at least as many of every class as
/// another with the same required set and state can do nothing the other cannot, so it is dropped.
/// </summary>
internal sealed class Frontier
{
    private readonly Dictionary<MemoKey, List<int[]>> _configurations = [];

    public int Count { get; private set; }

    public IEnumerable<(MemoKey Key, int[] Used)> Configurations =>
        _configurations.SelectMany(pair => pair.Value.Select(used => (pair.Key, used)));

    /// <summary>Adds the configuration unless one already here subsumes it; false if it was subsumed.</summary>
    public bool TryAdd(MemoKey key, int[] used)
    {
        if (!_configurations.TryGetValue(key, out var usedVectors))
        {
            _configurations.Add(key, [used]);
            Count++;
            return true;
        }

        foreach (var existing in usedVectors)
        {
            if (AtMost(existing, used))
            {
                return false;
            }
        }

        Count -= usedVectors.RemoveAll(existing => AtMost(used, existing));
        usedVectors.Add(used);
        Count++;
        return true;
    }

    /// <summary>Componentwise a &lt;= b.</summary>
    public static bool AtMost(int[] a, int[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }
        }

        return true;
    }
}
