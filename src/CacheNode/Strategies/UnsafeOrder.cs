namespace CacheNode.Strategies;

/// <summary>
/// TESTING ONLY: orders of a cluster write that are not linearizable, kept so the runner can show it
/// catches them. The safe order revokes every peer's copy (or waits out its lease) before the database write.
/// </summary>
internal enum UnsafeOrder
{
    /// <summary>Revoke, then write the database, then ack: linearizable.</summary>
    None,

    /// <summary>Write the database, then revoke (waiting for acks or leases as usual), then ack.</summary>
    WriteFirst,

    /// <summary>Write the database, ack, and revoke in the background: invalidation after the ack.</summary>
    AckFirst,
}
