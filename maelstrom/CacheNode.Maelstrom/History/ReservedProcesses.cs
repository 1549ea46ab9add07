namespace CacheNode.Maelstrom.History;

/// <summary>
/// Process numbers the runner's own reads use, far above any worker's: a worker thread starts at its
/// index and moves up by the concurrency each time an operation of its ends indeterminate, as Jepsen's do.
/// </summary>
internal static class ReservedProcesses
{
    /// <summary>Runner-only final reads (<c>--final-reads</c>): this plus the thread's index.</summary>
    public const int FinalReads = 64_000_000;

    /// <summary>The read of each key straight from lin-kv (<c>--node-checks</c>): this plus the key.</summary>
    public const int DatabaseReadBack = 128_000_000;
}
