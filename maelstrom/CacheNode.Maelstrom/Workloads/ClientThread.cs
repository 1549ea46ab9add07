using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// One of Jepsen's worker threads: it runs one operation at a time through its client against its
/// node (thread i talks to node i mod n). Its process number starts as the thread index and moves up
/// by the concurrency each time an operation ends indeterminate, because the old process may still be
/// running that operation (Jepsen's interpreter).
/// </summary>
internal sealed class ClientThread(int index, int concurrency, Client client, string node, HistoryRecorder history, TimeSpan timeout)
{
    private int _process = index;

    public int Index { get; } = index;

    public Client Client => client;

    public string Node => node;

    public HistoryRecorder History => history;

    /// <summary>How long the workload's client waits for a reply (lin-kv: max(10 × latency, 1 s); echo: 5 s).</summary>
    public TimeSpan Timeout => timeout;

    public int Process => Volatile.Read(ref _process);

    /// <summary>Records the outcome of the thread's operation: an indeterminate one retires the process.</summary>
    public void Completed(OpStatus status)
    {
        if (status == OpStatus.Info)
        {
            Interlocked.Add(ref _process, concurrency);
        }
    }
}
