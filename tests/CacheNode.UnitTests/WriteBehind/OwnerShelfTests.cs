using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.UnitTests.TestDoubles;
using CacheNode.WriteBehind;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>The backup's side: which copies it keeps, when it may flush an owner's entries itself, and what recovery hands back.</summary>
public sealed class OwnerShelfTests
{
    private const long Run = 1_000;
    private const long BackupRun = 2_000;
    private static readonly TimeSpan GrantedFor = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Fence = TimeSpan.FromMilliseconds(300);

    private readonly FakeTimeProvider _time = new();
    private readonly ControllableDatabase _database = new();
    private readonly NodeStats _stats = new();
    // Starting to flush an owner's entries is the shelf's one warning on the way there, written inside
    // the Tick that decides it: a test sees at once whether that Tick started it.
    private readonly StringWriter _warnings = new();

    [Fact]
    public void Older_copy_never_replaces_a_newer_one_and_a_late_copy_after_its_drop_is_turned_away()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null).Accepted.Should().BeTrue();
        shelf.Apply(Run, BackupRun, [Entry(1, 9, version: 4)], null);
        shelf.DirtyCount.Should().Be(1);

        shelf.Apply(Run, BackupRun, null, [new FlushedEntry(Int(1), 5)]);
        shelf.DirtyCount.Should().Be(0, "the owner flushed version 5");

        // A copy of version 5 (or older) that was on its way all along arrives after the drop.
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);
        shelf.DirtyCount.Should().Be(0, "the drop record turns it away");
        shelf.Apply(Run, BackupRun, [Entry(1, 11, version: 6)], null);
        shelf.DirtyCount.Should().Be(1, "a newer write is a real one");
    }

    [Fact]
    public void Refuses_an_earlier_run_of_the_owner_and_a_new_run_that_has_not_recovered_what_is_held()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);

        shelf.Apply(Run + 1, BackupRun, null, null).Accepted.Should().BeFalse("the new run must take back version 5 first");
        shelf.Apply(Run - 1, BackupRun, null, null).Accepted.Should().BeFalse("an earlier run is over");
    }

    [Fact]
    public async Task Flushes_an_owners_entries_itself_only_after_its_custody_and_a_database_timeout_have_run_out()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5), Entry(2, 20, version: 6)], null);

        _time.Advance(GrantedFor - TimeSpan.FromMilliseconds(1));
        shelf.Tick();
        shelf.HasOrphans.Should().BeFalse("the owner may still hold custody");

        _time.Advance(TimeSpan.FromMilliseconds(2));
        shelf.Tick();
        shelf.HasOrphans.Should().BeTrue("the owner stopped renewing");
        _time.Advance(Fence - TimeSpan.FromMilliseconds(2));
        shelf.Tick();
        _warnings.ToString().Should().BeEmpty("a flush the owner sent before its custody ended may still be landing: no flushing starts");

        _time.Advance(TimeSpan.FromMilliseconds(2));
        shelf.Tick();
        _warnings.ToString().Should().Contain("flushing its 2 dirty entries");
        await Eventually.TrueAsync(() => !shelf.HasOrphans, "the orphans should be flushed");
        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(10));
        (await _database.Store.ReadAsync(Int(2))).Value.Should().Be(Int(20));
        _stats.OrphanFlushed.Should().Be(2);
    }

    [Fact]
    public async Task Recovery_stops_orphan_flushing_and_hands_back_the_copies_left_and_the_versions_flushed_here()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);
        _time.Advance(GrantedFor + Fence + TimeSpan.FromMilliseconds(10));
        shelf.Tick();
        shelf.Tick();
        await Eventually.TrueAsync(() => !shelf.HasOrphans, "the orphan flush should finish");

        var recovered = await shelf.RecoverAsync(Run + 1, CancellationToken.None);

        recovered.Should().NotBeNull();
        recovered!.Value.Entries.Should().BeEmpty();
        recovered.Value.Flushed.Should().Equal(new FlushedEntry(Int(1), 5));
        shelf.Apply(Run + 1, BackupRun, [Entry(2, 20, version: 7)], null).Accepted.Should().BeTrue("the owner recovered and holds custody again");
        (await shelf.RecoverAsync(Run, CancellationToken.None)).Should().BeNull("that run is over");
    }

    [Fact]
    public async Task Entries_handed_to_a_restarted_owner_that_never_confirms_them_are_flushed_here_when_the_dead_runs_custody_and_the_fence_run_out()
    {
        // The owner's first run copied key 1 here and died; its new run asks for it again and again, but
        // the answers never reach it (a one-way partition): this node may be the only holder.
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);
        var step = TimeSpan.FromMilliseconds(50);
        var refusals = 0;
        for (var elapsed = step; elapsed <= GrantedFor + Fence; elapsed += step)
        {
            _time.Advance(step);
            try
            {
                (await shelf.RecoverAsync(Run + 1, CancellationToken.None))!.Value.Entries.Should().ContainSingle();
            }
            catch (NodeErrorException error) when (error.Code == ErrorCode.TemporarilyUnavailable)
            {
                refusals++;
            }

            shelf.Tick();
        }

        // The last custody the dead run had, and a database timeout: no ask put either off.
        await Eventually.TrueAsync(() => shelf.DirtyCount == 0, "the adopted copies should be flushed");
        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(10));
        refusals.Should().BePositive("recovery waits while this node flushes what was never confirmed");
        var recovered = await shelf.RecoverAsync(Run + 1, CancellationToken.None);
        recovered!.Value.Entries.Should().BeEmpty();
        recovered.Value.Flushed.Should().Equal(new FlushedEntry(Int(1), 5));
    }

    [Fact]
    public async Task A_restarted_owner_confirms_the_handover_with_a_message_addressed_to_this_run_and_keeps_custody()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);
        await shelf.RecoverAsync(Run + 1, CancellationToken.None);
        shelf.HasOrphans.Should().BeTrue("until the new run confirms, this node may be the only holder: a flush must wait");

        shelf.Apply(Run + 1, 0, null, null).Custody.Should().BeFalse("a message that does not name this run does not show the handover arrived");
        shelf.Apply(Run + 1, BackupRun, null, null).Custody.Should().BeTrue();
        shelf.HasOrphans.Should().BeFalse();
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(GrantedFor / 4);
            shelf.Apply(Run + 1, BackupRun, null, null).Custody.Should().BeTrue();
            shelf.Tick();
        }

        shelf.HasOrphans.Should().BeFalse();
        _database.Writes.Should().Be(0);
    }

    [Fact]
    public void Heartbeats_keep_custody_and_no_flushing_starts()
    {
        var shelf = NewShelf();
        shelf.Apply(Run, BackupRun, [Entry(1, 10, version: 5)], null);
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(GrantedFor / 4);
            shelf.Apply(Run, BackupRun, null, null);
            shelf.Tick();
        }

        shelf.HasOrphans.Should().BeFalse();
        _database.Writes.Should().Be(0);
    }

    [Fact]
    public void Copy_addressed_to_an_earlier_run_of_this_node_is_not_taken_but_its_drops_are()
    {
        var shelf = NewShelf();

        var verdict = shelf.Apply(Run, BackupRun - 1, [Entry(1, 10, version: 5)], [new FlushedEntry(Int(2), 3)]);

        verdict.Accepted.Should().BeTrue();
        verdict.Stored.Should().BeFalse("that copy may be older than a drop the earlier run already had");
        shelf.DirtyCount.Should().Be(0);
        shelf.Apply(Run, 0, [Entry(1, 10, version: 5)], null).Stored.Should().BeTrue("the owner did not know any run yet");
        shelf.Apply(Run, BackupRun, [Entry(2, 20, version: 3)], null);
        shelf.DirtyCount.Should().Be(1, "version 3 of key 2 was dropped: only key 1 is held");
    }

    [Fact]
    public void Restarted_backup_grants_no_custody_until_its_earlier_runs_flushes_must_have_landed()
    {
        var shelf = NewShelf();

        // The owner still addresses the earlier run: this node restarted.
        shelf.Apply(Run, BackupRun - 1, null, null).Custody.Should().BeFalse();
        _time.Advance(Fence - TimeSpan.FromMilliseconds(1));
        shelf.Apply(Run, BackupRun, null, null).Custody.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        shelf.Apply(Run, BackupRun, null, null).Custody.Should().BeTrue();
    }

    [Fact]
    public void In_a_fresh_cluster_custody_comes_at_once()
    {
        var shelf = NewShelf();

        shelf.Apply(Run, 0, null, null).Custody.Should().BeTrue("no owner knew an earlier run of this node");
        shelf.Apply(Run, BackupRun, null, null).Custody.Should().BeTrue();
    }

    private OwnerShelf NewShelf() => new("n2", BackupRun, new ShelfContext(
        _database,
        WriteBehindOptions.Default,
        new NodeServices(_time, _stats, new Log(_warnings, LogLevel.Warn)),
        GrantedForTicks: new(GrantedFor.Ticks),
        FenceTicks: new(Fence.Ticks),
        DroppedTtlTicks: new(TimeSpan.FromSeconds(30).Ticks)));

    private static BackupEntry Entry(long key, long value, long version) => new(Int(key), Int(value), version);

}
