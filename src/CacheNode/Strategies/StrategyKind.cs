namespace CacheNode.Strategies;

/// <summary>The three write strategies (<c>CACHENODE_STRATEGY</c>).</summary>
internal enum StrategyKind
{
    WriteThrough,
    CacheAside,
    WriteBehind,
}
