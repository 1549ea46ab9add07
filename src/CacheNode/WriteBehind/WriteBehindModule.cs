using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>Write-behind as <c>init</c> built it: what the rest of the node needs of it.</summary>
/// <param name="Strategy">What client requests go through: in a cluster, forwarded to the key's owner.</param>
/// <param name="Local">What a peer's request runs on: the keys this node owns, never forwarded again.</param>
/// <param name="Replication">Backup copies and custody, where dirty entries are copied to a backup node; null otherwise.</param>
internal sealed record WriteBehindModule(ICacheStrategy Strategy, WriteBehindStrategy Local, ClusterReplication? Replication)
{
    // Far longer than a message between nodes stays on its way: a copy older than a drop record arrives
    // while the record is still there to turn it away.
    private static readonly TimeSpan DroppedRecordLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Builds write-behind in one pass, each part after what it needs: the dirty buffer and the flusher's
    /// wake-up first (they need nothing); then replication over them (it adopts and forgets entries at
    /// recovery, and wakes the flusher when custody comes back); then the flusher, which asks replication
    /// whether it may flush; then the strategy; and in a cluster, owner forwarding around it.
    /// </summary>
    public static WriteBehindModule Create(WriteBehindSetup setup, SingleFlightReader reader, IKeyValueDatabase database, RpcClient rpc, NodeServices services)
    {
        var options = setup.Options;
        var buffer = new DirtyBuffer(options.QueueCapacity, services.Time);
        var flusherWake = new AsyncSignal();
        var replication = setup.Backup == BackupMode.Replicated
            ? CreateReplication(setup, new ReplicatedBuffer(buffer, reader.Cache, flusherWake, services.Time), database, rpc, services)
            : null;
        var custody = replication?.Owner ?? (IDirtyReplication)new NoReplication(Describe(setup.Backup));
        var flusher = new WriteBehindFlusher(buffer, flusherWake, database, options, services, OnFlushed(custody, reader.Cache), custody.MayFlush);
        var local = new WriteBehindStrategy(reader, database, buffer, flusher, custody, options, services);
        if (setup.Membership.Peers.Count == 0)
        {
            return new WriteBehindModule(local, local, replication);
        }

        // A peer's flush may wait out a restart fence or a backup's orphan fence (about a lease and a
        // database timeout) before its own database writes.
        var peerFlushTimeout = setup.ForwardTimeout + setup.Timing.Lease + (2 * setup.Timing.DatabaseTimeout);
        // With backups, an owner's backup answers a forwarded write as soon as it holds the copy (chain
        // replication, the tail answering): one hop less than waiting for the owner's own reply.
        Func<string, string?>? answeredByBackup = replication is null ? null : owner => BackupRanking.SuccessorOf(owner, setup.Membership.NodeIds);
        var forwarding = new HomeForwardingStrategy(
            local, setup.Membership, ForwardedOperations.All, rpc, setup.ForwardTimeout, peerFlushTimeout, services.Stats, services.Log, answeredByBackup);
        return new WriteBehindModule(forwarding, local, replication);
    }

    private static ClusterReplication CreateReplication(WriteBehindSetup setup, ReplicatedBuffer buffer, IKeyValueDatabase database, RpcClient rpc, NodeServices services)
    {
        var time = services.Time;
        var timing = setup.Timing;
        // This run's number: its start time. Peers ignore what an earlier run of this node sent.
        var incarnation = time.GetUtcNow().ToUnixTimeMilliseconds();
        var shelfContext = new ShelfContext(
            database,
            setup.Options,
            services,
            GrantedForTicks: time.SpanRoundedUp(timing.GrantedFor),
            // Flushes the owner sent while it held custody land within a database timeout.
            FenceTicks: time.SpanRoundedUp(timing.DatabaseFence),
            DroppedTtlTicks: time.SpanRoundedUp(DroppedRecordLifetime));
        var shelves = new BackupShelves(setup.Membership.Peers, incarnation, shelfContext);
        var owner = new OwnerReplication(setup.Membership, incarnation, rpc, shelves, buffer, timing, services);
        return new ClusterReplication(owner, shelves);
    }

    // What the owner's flusher does after each flush that landed.
    private static Action<DirtySnapshot, WriteTicket?> OnFlushed(IDirtyReplication replication, CacheStore cache) =>
        (flushed, ticket) =>
        {
            replication.Flushed(flushed.Key, flushed.Version);
            if (ticket is { } written)
            {
                // Once the database has a key's value, its write is over: the cache may fill it again.
                cache.EndWrite(written, WriteCompletion.Invalidate);
            }
        };

    // Why there is no backup, for stats and the log.
    private static string Describe(BackupMode mode) => mode switch
    {
        BackupMode.SingleNode => "none (single node)",
        BackupMode.SwitchedOff => "none (UNSAFE: switched off)",
        BackupMode.OwnDatabases => "none (each node has its own database)",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "a node that replicates has a backup"),
    };
}
