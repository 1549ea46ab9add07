using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// The operations of Maelstrom's lin-kv workload, which is Jepsen 0.3.7's linearizable-register test:
/// <c>(independent/concurrent-generator (* 2 n) (range) (fn [k] (gen/process-limit 20 (gen/reserve n r (gen/mix [w cas cas])))))</c>.
/// <list type="bullet">
/// <item>Threads form groups of 2n (n = node count); each group works on one key at a time, keys 0, 1, 2, …
/// in order, so all of a group's operations overlap on the same register.</item>
/// <item>A key is done once more than 20 distinct processes would have touched it: processes change
/// only when an operation ends indeterminate, so a healthy system stays on its first keys.</item>
/// <item>Threads 0..n-1 only read; every other thread writes or compare-and-sets, 1:2, values 0–4. The
/// thread ranges are absolute, as in Jepsen's <c>reserve</c> (whose own TODO notes it): with more than one
/// group, only the first group has readers.</item>
/// </list>
/// </summary>
internal sealed class IndependentKeys
{
    private const int ProcessLimit = 20;
    private const int MaxValue = 5;
    private readonly int _nodeCount;
    private readonly int _groupSize;
    private readonly int[] _keys;
    private readonly HashSet<int>[] _processes;
    private readonly IReadOnlyList<ClientThread> _threads;
    private readonly Random _random;
    private int _nextKey;

    /// <exception cref="ArgumentException">The thread count is not a multiple of 2n (Jepsen asserts the same).</exception>
    public IndependentKeys(int nodeCount, IReadOnlyList<ClientThread> threads, Random random)
    {
        _nodeCount = nodeCount;
        _groupSize = 2 * nodeCount;
        _threads = threads;
        _random = random;
        if (threads.Count < _groupSize || threads.Count % _groupSize != 0)
        {
            throw new ArgumentException(
                $"With {threads.Count} worker threads, jepsen.independent/concurrent-generator cannot run keys with {_groupSize} threads apiece: " +
                $"the test's :concurrency must be a multiple of {_groupSize} (try --concurrency 2n)");
        }

        var groups = threads.Count / _groupSize;
        _keys = [.. Enumerable.Range(0, groups)];
        _processes = [.. Enumerable.Range(0, groups).Select(_ => new HashSet<int>())];
        _nextKey = groups;
    }

    /// <summary>The next operation for <paramref name="thread"/>: kind, key, value (write: the value; cas: to) and cas's from.</summary>
    public (OpKind Kind, int Key, int? Value, int? From) Next(ClientThread thread)
    {
        var group = thread.Index / _groupSize;
        lock (_processes)
        {
            var current = _threads.Skip(group * _groupSize).Take(_groupSize).Select(t => t.Process).ToList();
            var seen = _processes[group];
            if (seen.Union(current).Count() > ProcessLimit)
            {
                _keys[group] = _nextKey++;
                seen.Clear();
            }

            seen.UnionWith(current);
            var key = _keys[group];
            if (thread.Index < _nodeCount)
            {
                return (OpKind.Read, key, null, null);
            }

            return _random.Next(3) == 0
                ? (OpKind.Write, key, _random.Next(MaxValue), null)
                : (OpKind.Cas, key, _random.Next(MaxValue), _random.Next(MaxValue));
        }
    }
}
