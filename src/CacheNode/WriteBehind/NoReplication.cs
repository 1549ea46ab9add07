using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.WriteBehind;

/// <summary>
/// No backup: a single node, or nodes that each have their own embedded database. A crash loses what was
/// not yet flushed (README says so); a clean shutdown drains it.
/// </summary>
internal sealed class NoReplication(string description = "none (single node)") : IDirtyReplication
{
    private long _version;

    public string BackupDescription => description;

    public int BackupEntries => 0;

    public bool Recovering => false;

    public bool IsReady(RawJson key) => true;

    public long NextVersion() => Interlocked.Increment(ref _version);

    // Nothing to copy to, and no backup to answer for this node: the value is "held" as it is.
    public ValueTask<CopyReceipt> BackUpAsync(RawJson key, RawJson value, long version, ForwarderAnswer? answer, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CopyReceipt(CopyOutcome.Held, BackupRun: 0));

    public void Staged(RawJson key, CopyReceipt receipt)
    {
    }

    public void HeldByBackup(RawJson key, long version)
    {
    }

    public void MarkUnconfirmed(RawJson key, long version)
    {
    }

    public bool IsConfirmed(RawJson key) => true;

    public bool MayFlush(RawJson key) => true;

    public void Flushed(RawJson key, long version)
    {
    }

    public void Abandoned(RawJson key, long version)
    {
    }

    public ValueTask FlushOrphansAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
