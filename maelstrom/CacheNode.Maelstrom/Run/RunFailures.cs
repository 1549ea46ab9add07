using System.Collections.Concurrent;

namespace CacheNode.Maelstrom.Run;

/// <summary>Things that make a run invalid whatever the history says (a node broke the protocol or died).</summary>
internal sealed class RunFailures
{
    private readonly ConcurrentQueue<string> _failures = new();

    public bool Any => !_failures.IsEmpty;

    public IReadOnlyList<string> All => [.. _failures];

    public void Add(string failure) => _failures.Enqueue(failure);
}
