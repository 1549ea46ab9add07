using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>What a workload's client loop needs: its client, the node it talks to, pacing and the history.</summary>
internal sealed record WorkloadContext(
    int Index,
    int Concurrency,
    Client Client,
    string Node,
    Random Random,
    Pacer Pacer,
    TimeSpan Timeout,
    HistoryRecorder History);
