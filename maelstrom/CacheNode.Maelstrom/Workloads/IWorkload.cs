using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>A Maelstrom workload: what clients do during the run, what they do at the end, and how it is judged.</summary>
internal interface IWorkload
{
    string Name { get; }

    /// <summary>One client's loop until <paramref name="cancellationToken"/> fires (the time limit).</summary>
    Task RunClientAsync(WorkloadContext context, CancellationToken cancellationToken);

    /// <summary>After healing and quiescing: the final operations of one client (for lin-kv, a read of every key).</summary>
    Task FinalAsync(WorkloadContext context, CancellationToken cancellationToken);

    /// <summary>Judges the history.</summary>
    WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken);
}
