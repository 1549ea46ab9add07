using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;

namespace CacheNode.Strategies;

/// <summary>Cache-aside with invalidation: the database first, then the cached copy is deleted; reads fill on a miss.</summary>
internal sealed class CacheAsideStrategy : SynchronousStrategy
{
    public CacheAsideStrategy(SingleFlightReader reader, IKeyValueDatabase database, PeerInvalidator? peers = null, bool unsafeWriteFirst = false)
        : base(reader, database, peers, unsafeWriteFirst)
    {
    }

    public override string Name => "cache-aside";

    protected override WriteCompletion AfterWrite => WriteCompletion.Invalidate;
}
