namespace CacheNode.Bench.Configuration;

/// <summary>What one benchmark run does; the defaults are the figures the README quotes.</summary>
internal sealed record BenchOptions
{
    /// <summary>Requests per workload file, not counting the <c>init</c> line that opens it.</summary>
    public int Requests { get; init; } = 200_000;

    /// <summary>A Maelstrom echo node to compare against, run through <c>/bin/sh -c</c>; null for none.</summary>
    public string? PeerCommand { get; init; }

    /// <summary>Where to write the Markdown report as well as stdout; null for stdout only.</summary>
    public string? OutFile { get; init; }

    /// <summary>The built CacheNode.dll; null means "find it next to the repository root".</summary>
    public string? NodeDll { get; init; }

    /// <summary>Runs per throughput measurement; the report shows the best and the median.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Spawns per start-up measurement; the report shows the median and p90.</summary>
    public int StartupRuns { get; init; } = 10;
}
