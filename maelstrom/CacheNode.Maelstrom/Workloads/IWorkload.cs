using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>A Maelstrom workload: what one operation of a worker thread is, what the final phase does, and how the history is judged.</summary>
internal interface IWorkload
{
    string Name { get; }

    /// <summary>Chooses and performs the next operation of <paramref name="thread"/>, records it, and returns its outcome.</summary>
    Task<OpStatus> InvokeAsync(ClientThread thread);

    /// <summary>The keys the history touched, for the final reads and the database read-back.</summary>
    IReadOnlyList<int> KeysUsed { get; }

    /// <summary>After healing and settling (runner-only final phase): the final operations of one thread (lin-kv: a read of every key used).</summary>
    Task FinalAsync(ClientThread thread, CancellationToken cancellationToken);

    /// <summary>Judges the history.</summary>
    WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken);
}
