namespace CacheNode.Strategies;

/// <summary>The three write strategies, and the cacheless baseline (<c>CACHENODE_STRATEGY</c>).</summary>
internal enum StrategyKind
{
    WriteThrough,
    CacheAside,
    WriteBehind,

    /// <summary>No cache: every request goes to the database. The baseline the benchmarks compare against.</summary>
    Proxy,
}
