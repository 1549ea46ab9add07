namespace CacheNode.Database;

/// <summary>Which database sits behind the cache (<c>CACHENODE_DB</c>).</summary>
internal enum DatabaseKind
{
    /// <summary><c>lin-kv</c> when the cluster has more than one node, <c>local</c> otherwise.</summary>
    Auto,
    Local,
    LinKv,
    SeqKv,
}
