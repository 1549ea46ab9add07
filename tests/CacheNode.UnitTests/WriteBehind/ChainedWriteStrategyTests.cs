using CacheNode.Cache;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;
using CacheNode.UnitTests.TestDoubles;
using CacheNode.WriteBehind;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>
/// The owner's rules for a write whose copy carries an answer for the forwarding node (the backup may ack
/// it before the owner hears back): it is never abandoned, reads and cas wait for it or refuse an
/// unconfirmed value, and flush waits for it. Replication is scripted here; the wire is in ChainedWireTests.
/// </summary>
public sealed class ChainedWriteStrategyTests : IAsyncDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly ForwarderAnswer Answer = new("n3", 7, "write_ok");
    private readonly ControllableDatabase _database = new();
    private readonly NodeStats _stats = new();
    // Stands still: no write delay runs out; only flush and drain skip it.
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedReplication _replication = new();
    private WriteBehindStrategy? _strategy;
    private DirtyBuffer? _buffer;

    public async ValueTask DisposeAsync()
    {
        if (_strategy is not null)
        {
            await _strategy.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_copy_that_may_have_been_answered_is_staged_anyway_and_the_write_fails_indefinitely()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        _replication.Outcome = CopyOutcome.MayBeHeld;
        _replication.IsDirty = () => strategy.QueueDepth > 0;

        var write = async () => await strategy.WriteAsync(Int(1), Int(5), Answer);

        (await write.Should().ThrowAsync<NodeErrorException>()).Which.Code.Should().Be(ErrorCode.Timeout, "the backup may have acked it: the outcome is unknown to the forwarder");
        strategy.QueueDepth.Should().Be(1, "the write is kept: the backup may have acked it");
        _replication.MarkedUnconfirmed.Should().ContainSingle().Which.Key.Should().Be(Int(1));
        _replication.Staged.Should().ContainSingle().Which.WasDirty.Should().BeTrue("the recopy is asked for once the entry is there to be copied");
        _replication.AbandonedVersions.Should().BeEmpty();
    }

    [Fact]
    public async Task A_held_copy_is_reported_with_its_receipt_once_its_entry_is_staged()
    {
        // So the replication's check for a backup restarted since the copy follows the staging: a resync
        // taken before it is caught by the check, one taken after it carries the entry.
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        _replication.IsDirty = () => strategy.QueueDepth > 0;

        await strategy.WriteAsync(Int(1), Int(5), Answer);
        await strategy.WriteAsync(Int(1), Int(6));

        _replication.Staged.Should().Equal([(Int(1), 1L, true), (Int(1), 2L, true)], "both the staged write and the coalesced one are reported, with their receipts, after staging");
    }

    [Fact]
    public async Task Flush_before_the_node_has_recovered_from_its_backup_fails_with_error_11()
    {
        // The backup may still hold acked writes this run has not taken back: "all in the database" would be false.
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        _replication.Recovering = true;

        var flush = async () => await strategy.FlushAsync();

        (await flush.Should().ThrowAsync<NodeErrorException>()).Which.Code.Should().Be(ErrorCode.TemporarilyUnavailable);
    }

    [Fact]
    public async Task Reads_and_cas_of_a_key_whose_newest_value_is_unconfirmed_fail_with_error_11()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        await strategy.WriteAsync(Int(1), Int(5));
        _replication.Unconfirmed.Add(Int(1));

        var read = async () => await strategy.ReadAsync(Int(1));
        var cas = async () => await strategy.CasAsync(Int(1), Int(4), Int(6), createIfNotExists: false);

        (await read.Should().ThrowAsync<NodeErrorException>()).Which.Code.Should().Be(ErrorCode.TemporarilyUnavailable);
        (await cas.Should().ThrowAsync<NodeErrorException>()).Which.Code.Should().Be(ErrorCode.TemporarilyUnavailable, "a mismatch is definite and must not rest on a value that may vanish");

        _replication.Unconfirmed.Clear();
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(5));
    }

    [Fact]
    public async Task A_copy_that_may_have_been_answered_but_that_recovery_took_back_meanwhile_is_confirmed()
    {
        // Recovery took the very version back from the backup while the copy's tries were out: the backup
        // holds it, and its entry may be flushed and gone before a recopy could confirm it.
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        var copyHeld = new TaskCompletionSource();
        _replication.CopyGate = copyHeld.Task;
        _replication.Outcome = CopyOutcome.MayBeHeld;

        var write = strategy.WriteAsync(Int(1), Int(5), Answer).AsTask();
        await Eventually.TrueAsync(() => _replication.CopiesStarted == 1, "the copy should be on its way");
        _buffer!.Adopt(Int(1), Int(5), version: 1, _time.Now(), ticket: null).Should().Be(AdoptOutcome.Added);
        copyHeld.SetResult();

        await write.Invoking(async w => await w).Should().ThrowAsync<NodeErrorException>();
        _replication.HeldByBackupVersions.Should().Equal([(Int(1), 1L)]);
        _replication.Staged.Should().BeEmpty("nothing is left to copy again: the backup holds it");
    }

    [Fact]
    public async Task A_read_waits_for_the_keys_write_in_flight_and_sees_its_value()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        await strategy.WriteAsync(Int(1), Int(1));
        var copyHeld = new TaskCompletionSource();
        _replication.CopyGate = copyHeld.Task;

        // The backup may already have acked this write to the forwarding node's client.
        var write = strategy.WriteAsync(Int(1), Int(2), Answer).AsTask();
        await Eventually.TrueAsync(() => _replication.CopiesStarted == 2, "the second write's copy should be on its way");
        var read = strategy.ReadAsync(Int(1)).AsTask();
        copyHeld.SetResult();
        await write;

        (await read).Value.Should().Be(Int(2), "the read came after the write's copy went out, which the backup may have acked");
    }

    [Fact]
    public async Task Flush_waits_for_the_writes_in_flight_when_it_starts()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        var copyHeld = new TaskCompletionSource();
        _replication.CopyGate = copyHeld.Task;

        var write = strategy.WriteAsync(Int(1), Int(5), Answer).AsTask();
        await Eventually.TrueAsync(() => _replication.CopiesStarted == 1, "the write's copy should be on its way");
        var flush = strategy.FlushAsync().AsTask();
        copyHeld.SetResult();
        await write;
        await flush;

        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(5), "the backup may have acked the write before flush began");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answered_copy_is_staged_over_capacity_never_written_through_or_dropped(bool syncOnOverflow)
    {
        var overflow = syncOnOverflow ? OverflowPolicy.Sync : OverflowPolicy.Reject;
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long, QueueCapacity = 1, Overflow = overflow });
        var copyHeld = new TaskCompletionSource();
        _replication.CopyGate = copyHeld.Task;

        // Room when the copy leaves; another key fills the queue while it is on its way.
        var write = strategy.WriteAsync(Int(2), Int(2), Answer).AsTask();
        await Eventually.TrueAsync(() => _replication.CopiesStarted == 1, "the copy should be on its way");
        await strategy.WriteAsync(Int(1), Int(1));
        copyHeld.SetResult();
        await write;

        (await strategy.ReadAsync(Int(2))).Value.Should().Be(Int(2));
        strategy.QueueDepth.Should().Be(2, "the queue overshoots by the answered write rather than lose it");
        _replication.AbandonedVersions.Should().BeEmpty();
        _database.Writes.Should().Be(0, "it is dirty, not written through (a timed-out write-through would drop an acked copy)");
    }

    private WriteBehindStrategy Create(WriteBehindOptions options)
    {
        var services = new NodeServices(_time, _stats, Log.Silent);
        var cache = new CacheStore(CacheOptions.Default, _time, _stats);
        var reader = new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, _time);
        var buffer = _buffer = new DirtyBuffer(options.QueueCapacity, _time);
        var flusher = new WriteBehindFlusher(buffer, new AsyncSignal(), _database, options, services, (_, _) => { }, _replication.MayFlush);
        _strategy = new WriteBehindStrategy(reader, _database, buffer, flusher, _replication, options, services);
        return _strategy;
    }

    /// <summary>Replication whose copies wait at a gate and end as the test says.</summary>
    private sealed class ScriptedReplication : IDirtyReplication
    {
        private long _version;
        private int _copiesStarted;

        public CopyOutcome Outcome { get; set; } = CopyOutcome.Held;

        public Task? CopyGate { get; set; }

        public HashSet<RawJson> Unconfirmed { get; } = [];

        public List<(RawJson Key, long Version)> MarkedUnconfirmed { get; } = [];

        public List<(RawJson Key, long Version)> HeldByBackupVersions { get; } = [];

        /// <summary>Each <see cref="IDirtyReplication.Staged"/> call: the key, the receipt's backup run, and whether the key was dirty by then.</summary>
        public List<(RawJson Key, long BackupRun, bool WasDirty)> Staged { get; } = [];

        public Func<bool>? IsDirty { get; set; }

        public List<long> AbandonedVersions { get; } = [];

        public int CopiesStarted => Volatile.Read(ref _copiesStarted);

        public string BackupDescription => "scripted";

        public int BackupEntries => 0;

        public bool Recovering { get; set; }

        public bool IsReady(RawJson key) => true;

        public long NextVersion() => Interlocked.Increment(ref _version);

        public async ValueTask<CopyReceipt> BackUpAsync(RawJson key, RawJson value, long version, ForwarderAnswer? answer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _copiesStarted);
            // Only answered copies (a forwarded write's) wait: the test's own writes pass.
            if (answer is not null && CopyGate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            return new CopyReceipt(answer is null ? CopyOutcome.Held : Outcome, BackupRun: version);
        }

        void IDirtyReplication.Staged(RawJson key, CopyReceipt receipt) => Staged.Add((key, receipt.BackupRun, IsDirty?.Invoke() ?? false));

        void IDirtyReplication.MarkUnconfirmed(RawJson key, long version) => MarkedUnconfirmed.Add((key, version));

        void IDirtyReplication.HeldByBackup(RawJson key, long version) => HeldByBackupVersions.Add((key, version));

        public bool IsConfirmed(RawJson key) => !Unconfirmed.Contains(key);

        public bool MayFlush(RawJson key) => true;

        public void Flushed(RawJson key, long version)
        {
        }

        public void Abandoned(RawJson key, long version) => AbandonedVersions.Add(version);

        public ValueTask FlushOrphansAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
