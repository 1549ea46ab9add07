namespace CacheNode.Maelstrom.Cli;

/// <summary>How message delays are drawn around <c>--latency</c> (Maelstrom's <c>--latency-dist</c>).</summary>
internal enum LatencyDistribution
{
    Constant,
    Uniform,
    Exponential,
}
