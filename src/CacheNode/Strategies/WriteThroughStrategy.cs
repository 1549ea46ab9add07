using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;

namespace CacheNode.Strategies;

/// <summary>Write-through: the database first, then the cache takes the new value, then the ack.</summary>
internal sealed class WriteThroughStrategy : SynchronousStrategy
{
    public WriteThroughStrategy(SingleFlightReader reader, IKeyValueDatabase database, LandingFence landing, HolderRevoker? holders = null, UnsafeOrder unsafeOrder = UnsafeOrder.None)
        : base(reader, database, landing, holders, unsafeOrder)
    {
    }

    public override string Name => "write-through";

    protected override WriteCompletion AfterWrite => WriteCompletion.Install;
}
