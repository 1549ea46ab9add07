namespace CacheNode.Bench.Workloads;

/// <summary>A generated request file: an <c>init</c> line, then <see cref="Requests"/> requests, one per line.</summary>
internal sealed record Workload(string Name, string Path, int Requests)
{
    /// <summary>Lines in the file, and so replies expected from a node: the requests plus the <c>init</c>.</summary>
    public long Lines => Requests + 1L;
}
