using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Strategies;

namespace CacheNode.Hosting;

/// <summary>Builds the runtime from the options and the cluster that <c>init</c> describes.</summary>
internal static class NodeRuntimeFactory
{
    public static NodeRuntime Create(NodeContext context, string nodeId, IReadOnlyList<string> nodeIds)
    {
        var options = context.Options;
        var clustered = nodeIds.Count > 1;
        var database = new CountingDatabase(CreateDatabase(context, clustered), context.Stats);

        // Leases matter only when other nodes can change the data behind this node's back.
        var cacheOptions = new CacheOptions(
            MaxEntries: options.MaxEntries,
            Ttl: TimeSpan.FromMilliseconds(options.TtlMs),
            TtlJitter: options.TtlJitter,
            NegativeTtl: TimeSpan.FromMilliseconds(options.NegativeTtlMs),
            Lease: clustered ? TimeSpan.FromMilliseconds(options.LeaseMs) : null,
            EarlyRefreshBeta: options.EarlyRefreshBeta);
        var cache = new CacheStore(cacheOptions, context.Time, context.Stats);
        var reader = new SingleFlightReader(cache, database, context.Log, context.Lifetime);

        ICacheStrategy strategy = options.Strategy switch
        {
            StrategyKind.CacheAside => new CacheAsideStrategy(reader, database),
            StrategyKind.WriteBehind => new WriteBehindStrategy(
                reader,
                database,
                new WriteBehindOptions(TimeSpan.FromMilliseconds(options.WriteDelayMs), options.BatchSize, options.QueueCapacity, options.Overflow),
                context.Time,
                context.Stats,
                context.Log),
            _ => new WriteThroughStrategy(reader, database),
        };

        context.Log.Info($"{nodeId}: {strategy.Name} over {database.Name}, cluster of {nodeIds.Count}");
        if (clustered)
        {
            // Said loudly because it matters: each node's cache is only bounded by the lease.
            context.Log.Warn($"cross-node invalidation is not implemented yet: another node's write can leave this node serving the old value for up to {options.LeaseMs} ms (lease_ms)");
        }
        return new NodeRuntime(nodeId, nodeIds, database, cache, strategy);
    }

    private static IKeyValueDatabase CreateDatabase(NodeContext context, bool clustered)
    {
        var kind = context.Options.Database;
        if (kind == DatabaseKind.Auto)
        {
            kind = clustered ? DatabaseKind.LinKv : DatabaseKind.Local;
        }

        return kind switch
        {
            DatabaseKind.Local => new LocalDatabase(),
            _ => new MaelstromKvDatabase(
                kind == DatabaseKind.SeqKv ? "seq-kv" : "lin-kv",
                context.Rpc,
                TimeSpan.FromMilliseconds(context.Options.DbTimeoutMs),
                context.Options.DbReadAttempts,
                context.Log),
        };
    }
}
