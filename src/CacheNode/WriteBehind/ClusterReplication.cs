namespace CacheNode.WriteBehind;

/// <summary>Write-behind replication in a cluster: this node as an owner (copies out) and as a backup (copies held).</summary>
internal sealed class ClusterReplication(OwnerReplication owner, BackupShelves shelves) : IAsyncDisposable
{
    public OwnerReplication Owner { get; } = owner;

    public BackupShelves Shelves { get; } = shelves;

    public void Start() => Owner.Start();

    public async ValueTask DisposeAsync()
    {
        await Owner.DisposeAsync();
        await Shelves.DisposeAsync();
    }
}
