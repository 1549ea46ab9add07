namespace CacheNode.WriteBehind;

/// <summary>Whether a write-behind node copies its dirty entries to a backup node, and if not, why.</summary>
internal enum BackupMode
{
    /// <summary>An owner's dirty entries are copied to its backup (the node with the next id), which flushes them if the owner cannot.</summary>
    Replicated,

    /// <summary>A single node: there is no other node to hold a copy.</summary>
    SingleNode,

    /// <summary>Each node has its own embedded database: no other node could flush a copy into it.</summary>
    OwnDatabases,

    /// <summary>Switched off (<c>CACHENODE_UNSAFE_NO_BACKUP</c>), only to prove the tests catch what that breaks.</summary>
    SwitchedOff,
}
