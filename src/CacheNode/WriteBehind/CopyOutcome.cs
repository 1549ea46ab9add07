namespace CacheNode.WriteBehind;

/// <summary>What became of a write's copy to the key's backup, when the write is not abandoned.</summary>
internal enum CopyOutcome
{
    /// <summary>The backup confirmed it holds the copy.</summary>
    Held,

    /// <summary>
    /// No confirmation, but a try that carried an answer for the forwarding node may have landed, and the
    /// backup may have acked the write: it must be kept (staged, copied again), never abandoned.
    /// </summary>
    MayBeHeld,
}

/// <summary>What became of a write's copy, and which run of the backup confirmed it (0: no backup, or none confirmed it).</summary>
internal readonly record struct CopyReceipt(CopyOutcome Outcome, long BackupRun);
