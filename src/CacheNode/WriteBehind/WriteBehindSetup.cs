using CacheNode.Cluster;

namespace CacheNode.WriteBehind;

/// <summary>What <c>init</c> decided about write-behind on this node.</summary>
/// <param name="Options">The flusher's tuning and the dirty queue's limits.</param>
/// <param name="Membership">This node and its peers: in a cluster each key has one owner, and the other nodes forward its requests there.</param>
/// <param name="Timing">The clocks of custody: lease, peer and database timeouts.</param>
/// <param name="Backup">Whether dirty entries are copied to a backup node, or why not.</param>
/// <param name="ForwardTimeout">How long a request forwarded to the key's owner may take.</param>
internal sealed record WriteBehindSetup(WriteBehindOptions Options, ClusterMembership Membership, LeaseTiming Timing, BackupMode Backup, TimeSpan ForwardTimeout);
