using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.WriteBehind;

/// <summary>
/// What write-behind asks of replication: a version for each write, a backup copy before the ack, and
/// permission to flush. One node alone has no backup (<see cref="NoReplication"/>); in a cluster each
/// owner's backup is the node with the next id (<see cref="OwnerReplication"/>).
/// </summary>
internal interface IDirtyReplication
{
    /// <summary>Where dirty entries are copied, for <c>stats</c> and the log.</summary>
    string BackupDescription { get; }

    /// <summary>False while this node has yet to take back from the key's backup what it held before a restart (answer error 11).</summary>
    bool IsReady(RawJson key);

    /// <summary>A version above every earlier write's, including those of this node's earlier runs.</summary>
    long NextVersion();

    /// <summary>
    /// Copies the value to the key's backup. With <paramref name="answer"/>, the backup acks that forwarded
    /// request itself once it holds the copy. Returns <see cref="CopyOutcome.Held"/> once the backup holds
    /// it (the caller stages it and calls <see cref="Staged"/>). Throws a <see cref="NodeErrorException"/> (definite only if it surely does not hold it) when
    /// the write is abandoned; never after a copy that carried an answer may have landed: then it returns
    /// <see cref="CopyOutcome.MayBeHeld"/>, and the caller must call <see cref="MarkUnconfirmed"/>, stage the
    /// value anyway and call <see cref="Staged"/>, since the backup may have acked it.
    /// </summary>
    ValueTask<CopyReceipt> BackUpAsync(RawJson key, RawJson value, long version, ForwarderAnswer? answer, CancellationToken cancellationToken);

    /// <summary>
    /// Before a value whose copy <see cref="CopyOutcome.MayBeHeld"/> is staged: the key is not
    /// <see cref="IsConfirmed"/> and not flushed until a copy of that version (or a newer one) is confirmed.
    /// Marked first, so a flush or recovery between staging and marking cannot leave a mark nothing clears.
    /// </summary>
    void MarkUnconfirmed(RawJson key, long version);

    /// <summary>
    /// The key's value is staged here (after <see cref="BackUpAsync"/>, whatever its outcome). A copy that
    /// <see cref="CopyOutcome.MayBeHeld"/> is copied again. A held one is copied again if the run of the
    /// backup that held it has been replaced since: the resync that sent the new run this node's dirty
    /// entries may have been taken before this one was staged. Called after staging, so a heartbeat that
    /// takes the recopy also finds the entry.
    /// </summary>
    void Staged(RawJson key, CopyReceipt receipt);

    /// <summary>
    /// A version of the key that was marked unconfirmed is known to be held by the backup after all
    /// (recovery took it back from there): the mark goes.
    /// </summary>
    void HeldByBackup(RawJson key, long version);

    /// <summary>False while the key's newest staged value may be on this node only although a backup may have acked it: reads and cas fail (error 11).</summary>
    bool IsConfirmed(RawJson key);

    /// <summary>
    /// Whether this node may write the key to the database now: never while the key is unconfirmed, since
    /// its backup may still hold an older copy that an orphan flush would write over it.
    /// </summary>
    bool MayFlush(RawJson key);

    /// <summary><paramref name="version"/> of the key is in the database (or will never be): its backup copy may go.</summary>
    void Flushed(RawJson key, long version);

    /// <summary>
    /// <paramref name="version"/> of the key was copied to the backup but will not be staged here (the
    /// write failed or went straight to the database). The backup must not keep it as the key's newest
    /// copy, nor lose the copy of an older dirty value because of it.
    /// </summary>
    void Abandoned(RawJson key, long version);

    /// <summary>Returns once the dirty entries this node holds for owners that are unreachable are in the database too.</summary>
    ValueTask FlushOrphansAsync(CancellationToken cancellationToken);

    /// <summary>Backup copies this node holds for other owners.</summary>
    int BackupEntries { get; }

    /// <summary>Whether some key is still waiting for <see cref="IsReady"/>.</summary>
    bool Recovering { get; }
}
