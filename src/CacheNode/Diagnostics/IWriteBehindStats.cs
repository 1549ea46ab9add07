namespace CacheNode.Diagnostics;

/// <summary>What <c>stats</c> reports of write-behind: its dirty entries and its backups.</summary>
internal interface IWriteBehindStats
{
    /// <summary>Dirty entries not yet in the database.</summary>
    int QueueDepth { get; }

    /// <summary>When the oldest unflushed write was staged (a timestamp), or null when nothing is dirty.</summary>
    long? OldestDirtySince { get; }

    /// <summary>Where dirty entries are copied.</summary>
    string BackupDescription { get; }

    /// <summary>Backup copies this node holds for other owners.</summary>
    int BackupEntries { get; }

    /// <summary>Whether some key still waits until this node has taken back its dirty entries from the key's backup.</summary>
    bool Recovering { get; }
}
