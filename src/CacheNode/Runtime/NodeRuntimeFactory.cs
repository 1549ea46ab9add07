using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.Runtime;

/// <summary>Builds the runtime from the options and the cluster that <c>init</c> describes.</summary>
internal static class NodeRuntimeFactory
{
    public static NodeRuntime Create(NodeContext context, string nodeId, IReadOnlyList<string> nodeIds)
    {
        var options = context.Options;
        var membership = new ClusterMembership(nodeId, nodeIds);
        var clustered = membership.Peers.Count > 0;
        // This run of the node: its start in Unix milliseconds, above any earlier run's.
        var run = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (clustered)
        {
            // A thousand ids per millisecond since the epoch: far more than a node sends, and below 2^53,
            // so JSON readers that use doubles keep every id exact.
            context.Writer.ContinueIdsFrom(run * 1000);
        }
        var database = new CountingDatabase(CreateDatabase(context, clustered), context.Stats);

        // Write-through and cache-aside may keep a copy of any key on any node, so in a cluster each key's
        // home writes it and revokes the copies first, and copies are cached only under the home's key
        // leases. Write-behind keeps each key on its owner alone, and the proxy keeps nothing.
        var synchronous = options.Strategy is StrategyKind.WriteThrough or StrategyKind.CacheAside;
        var coherent = clustered && synchronous && !options.UnsafeNoInvalidation;

        // The clocks of key leases (write-through, cache-aside) and of custody (write-behind) alike.
        var timing = new LeaseTiming(
            Lease: TimeSpan.FromMilliseconds(options.LeaseMs),
            PeerTimeout: TimeSpan.FromMilliseconds(options.PeerTimeoutMs),
            DatabaseTimeout: TimeSpan.FromMilliseconds(options.DbTimeoutMs));
        var forwardTimeout = TimeSpan.FromMilliseconds(options.ForwardTimeoutMs);
        // As a holder, the volume leases homes granted this node: a copy filled from a home is served only under one.
        var volumes = coherent ? new HomeVolumes(timing, context.Time) : null;

        var cacheOptions = new CacheOptions(
            MaxEntries: options.MaxEntries,
            Ttl: TimeSpan.FromMilliseconds(options.TtlMs),
            TtlJitter: options.TtlJitter,
            NegativeTtl: TimeSpan.FromMilliseconds(options.NegativeTtlMs),
            // A write this node's earlier run sent as a key's home may still land: nothing it reads before
            // then may be cached, here or (through its key leases) anywhere; nor does it grant anything before
            // its earlier run's volume leases are over, so it starts serving when it starts granting.
            // (Write-behind has its own fence, per recovered key.)
            StartupFence: coherent ? timing.StartupFence : TimeSpan.Zero,
            EarlyRefreshBeta: options.EarlyRefreshBeta,
            // Write-behind serves dirty keys from its buffer; its writes stay pending until their flush.
            HoldReadsDuringWrites: options.Strategy == StrategyKind.WriteBehind ? TimeSpan.Zero : TimeSpan.FromMilliseconds(options.PeerTimeoutMs));
        var cache = new CacheStore(cacheOptions, context.Time, context.Stats, volumes);
        // A key lease lasts as long as the longest a copy may live (the TTL, or the negative TTL if longer).
        var keyLease = TimeSpan.FromMilliseconds(Math.Max(options.TtlMs, options.NegativeTtlMs));
        var coherence = volumes is not null
            ? new ClusterCoherence(membership, run, timing, keyLease, volumes, cache, database, context.Rpc, forwardTimeout, context.Services)
            : null;
        var reader = new SingleFlightReader(cache, database, context.Log, context.Lifetime, context.Time, coherence?.Fills, coherence?.Renewer);

        var writeBehind = options.Strategy == StrategyKind.WriteBehind
            ? WriteBehindModule.Create(WriteBehindSetupFor(options, membership, timing, database), reader, database, context.Rpc, context.Services)
            : null;
        if (clustered && options.Strategy == StrategyKind.WriteBehind && options.UnsafeNoBackup)
        {
            // Said loudly: this exists only to prove the tests can catch what it breaks.
            context.Log.Warn("UNSAFE: write-behind keeps no backup copies (CACHENODE_UNSAFE_NO_BACKUP); a crashed node loses its acked, unflushed writes");
        }

        var unsafeOrder = options.UnsafeAckFirst ? UnsafeOrder.AckFirst : options.UnsafeWriteFirst ? UnsafeOrder.WriteFirst : UnsafeOrder.None;
        // A write lin-kv never answered may land up to a database timeout after it left.
        var landing = database.Name == "local" ? LandingFence.None : new LandingFence(timing.DatabaseFence, context.Time);
        var local = writeBehind?.Local ?? options.Strategy switch
        {
            StrategyKind.CacheAside => new CacheAsideStrategy(reader, database, landing, coherence?.Revoker, unsafeOrder),
            StrategyKind.Proxy => new ProxyStrategy(database),
            _ => (ICacheStrategy)new WriteThroughStrategy(reader, database, landing, coherence?.Revoker, unsafeOrder),
        };
        var strategy = writeBehind?.Strategy
            ?? (coherent
                ? new HomeForwardingStrategy(local, membership, ForwardedOperations.Writes, context.Rpc, forwardTimeout, forwardTimeout, context.Stats, context.Log)
                : local);

        context.Log.Info($"{nodeId}: {strategy.Name} over {database.Name}, cluster of {nodeIds.Count}");
        if (clustered && options.UnsafeNoInvalidation && options.Strategy is StrategyKind.WriteThrough or StrategyKind.CacheAside)
        {
            // Said loudly: this exists only to prove the tests can catch what it breaks.
            context.Log.Warn("UNSAFE: cross-node invalidation is off (CACHENODE_UNSAFE_NO_INVALIDATION); other nodes' writes leave this cache stale");
        }

        if (clustered && options.UnsafeWriteFirst && options.Strategy is StrategyKind.WriteThrough or StrategyKind.CacheAside)
        {
            context.Log.Warn("UNSAFE: writes reach the database before the peers' copies are revoked (CACHENODE_UNSAFE_WRITE_FIRST); stale reads are possible");
        }

        if (clustered && options.UnsafeAckFirst && options.Strategy is StrategyKind.WriteThrough or StrategyKind.CacheAside)
        {
            context.Log.Warn("UNSAFE: writes are acked before the peers' copies are revoked (CACHENODE_UNSAFE_ACK_FIRST); stale reads are possible");
        }

        return new NodeRuntime
        {
            Membership = membership,
            Database = database,
            Cache = cache,
            Reader = reader,
            Strategy = strategy,
            LocalStrategy = local,
            WriteBehindStats = writeBehind?.Local ?? (IWriteBehindStats)NoWriteBehindStats.Instance,
            Coherence = coherence,
            Replication = writeBehind?.Replication,
        };
    }

    private static WriteBehindSetup WriteBehindSetupFor(NodeOptions options, ClusterMembership membership, LeaseTiming timing, IKeyValueDatabase database)
    {
        var backup = membership.Peers.Count == 0 ? BackupMode.SingleNode
            : options.UnsafeNoBackup ? BackupMode.SwitchedOff
            // Dirty entries are copied to a backup only where another node could flush them: a shared
            // database. A node's embedded store dies with it anyway.
            : database.Name == "local" ? BackupMode.OwnDatabases
            : BackupMode.Replicated;
        return new WriteBehindSetup(
            new WriteBehindOptions(TimeSpan.FromMilliseconds(options.WriteDelayMs), options.BatchSize, options.QueueCapacity, options.Overflow),
            membership,
            timing,
            backup,
            ForwardTimeout: TimeSpan.FromMilliseconds(options.ForwardTimeoutMs));
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
