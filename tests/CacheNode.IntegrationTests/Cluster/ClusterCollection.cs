namespace CacheNode.IntegrationTests.Cluster;

/// <summary>
/// The in-process cluster tests run alone: each puts several nodes' timers (lease renewals, waits) in
/// one process, and on a small machine other test classes running alongside starve them enough to
/// distort what the tests measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "in-process clusters";
}
