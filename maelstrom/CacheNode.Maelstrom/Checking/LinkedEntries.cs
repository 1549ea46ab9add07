namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// A doubly linked list over nodes 1..count (node 0 is the head sentinel) whose removals can be undone
/// in O(1) ("dancing links"): a removed node keeps its own links, so restoring removals in reverse order
/// rebuilds the list exactly. The search lifts operations out when it linearizes them and puts them back
/// when it backtracks.
/// </summary>
internal sealed class LinkedEntries
{
    public const int None = -1;

    private readonly int[] _next;
    private readonly int[] _prev;

    public LinkedEntries(int count)
    {
        _next = new int[count + 1];
        _prev = new int[count + 1];
        for (var node = 0; node <= count; node++)
        {
            _next[node] = node < count ? node + 1 : None;
            _prev[node] = node - 1;
        }
    }

    public int First => _next[0];

    public int Next(int node) => _next[node];

    public void Remove(int node)
    {
        var (prev, next) = (_prev[node], _next[node]);
        _next[prev] = next;
        if (next != None)
        {
            _prev[next] = prev;
        }
    }

    /// <summary>Undoes <see cref="Remove"/>; removals must be restored in the reverse of their order.</summary>
    public void Restore(int node)
    {
        var (prev, next) = (_prev[node], _next[node]);
        _next[prev] = node;
        if (next != None)
        {
            _prev[next] = node;
        }
    }
}
