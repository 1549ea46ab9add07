namespace CacheNode.Diagnostics;

/// <summary>The other strategies' write-behind stats: nothing dirty, nothing backed up.</summary>
internal sealed class NoWriteBehindStats : IWriteBehindStats
{
    public static NoWriteBehindStats Instance { get; } = new();

    private NoWriteBehindStats()
    {
    }

    public int QueueDepth => 0;

    public long? OldestDirtySince => null;

    public string BackupDescription => "none (not write-behind)";

    public int BackupEntries => 0;

    public bool Recovering => false;
}
