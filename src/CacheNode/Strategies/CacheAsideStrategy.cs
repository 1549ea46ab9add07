using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;

namespace CacheNode.Strategies;

/// <summary>Cache-aside with invalidation: the database first, then the cached copy is deleted; reads fill on a miss.</summary>
internal sealed class CacheAsideStrategy : SynchronousStrategy
{
    public CacheAsideStrategy(SingleFlightReader reader, IKeyValueDatabase database, LandingFence landing, HolderRevoker? holders = null, UnsafeOrder unsafeOrder = UnsafeOrder.None)
        : base(reader, database, landing, holders, unsafeOrder)
    {
    }

    public override string Name => "cache-aside";

    protected override WriteCompletion AfterWrite => WriteCompletion.Invalidate;
}
