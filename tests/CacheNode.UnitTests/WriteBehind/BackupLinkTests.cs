using CacheNode.Threading;
using CacheNode.WriteBehind;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>What an owner's recovery takes back from a backup, given the drops it has yet to send it.</summary>
public sealed class BackupLinkTests
{
    private readonly BackupLink _link = new("n2", TickSpan.Zero, new FakeTimeProvider());

    [Fact]
    public void A_staged_entry_whose_copy_an_earlier_run_of_the_peer_held_is_copied_again()
    {
        _link.Observe(5);

        _link.RecopyIfRestartedSince(Int(1), heldBy: 5).Should().BeFalse("the run that holds the copy is the peer's current one");
        _link.Observe(6);
        _link.RecopyIfRestartedSince(Int(2), heldBy: 5).Should().BeTrue("run 6's resync may have been taken before the entry was staged");

        _link.TakeRecopies().Should().Equal([Int(2)]);
    }

    [Fact]
    public void A_copy_of_a_version_this_owner_already_flushed_is_not_taken_back_and_the_drop_stays_queued()
    {
        _link.AddDrop(Int(1), 7, inDatabase: true);

        _link.TakesBack(Int(1), 7).Should().BeFalse("the database already has that version: it is not dirty");
        _link.TakesBack(Int(1), 5).Should().BeFalse("nor is an older one");
        _link.TakeDrops(10).Should().ContainSingle().Which.Should().Be(new Drop(Int(1), 7, InDatabase: true));
    }

    [Fact]
    public void A_copy_of_an_abandoned_version_is_taken_back_and_its_drop_cancelled()
    {
        _link.AddDrop(Int(1), 7, inDatabase: false);

        _link.TakesBack(Int(1), 7).Should().BeTrue("the backup's copy is the owner's dirty entry again");
        _link.TakeDrops(10).Should().BeEmpty("the drop would erase that copy");
    }

    [Fact]
    public void A_copy_newer_than_any_queued_drop_is_taken_back()
    {
        _link.AddDrop(Int(1), 7, inDatabase: true);

        _link.TakesBack(Int(1), 8).Should().BeTrue();
        _link.TakesBack(Int(2), 1).Should().BeTrue("nothing is queued for that key");
    }

    [Fact]
    public void Drops_of_one_key_keep_the_newest_version_and_whether_it_reached_the_database()
    {
        _link.AddDrop(Int(1), 9, inDatabase: true);
        _link.AddDrop(Int(1), 7, inDatabase: false);
        _link.TakeDrops(10).Should().Equal(new Drop(Int(1), 9, InDatabase: true));

        _link.AddDrop(Int(1), 9, inDatabase: false);
        _link.AddDrop(Int(1), 9, inDatabase: true);
        var taken = _link.TakeDrops(10);
        taken.Should().Equal(new Drop(Int(1), 9, InDatabase: true));

        _link.ReturnDrops(taken);
        _link.TakesBack(Int(1), 9).Should().BeFalse("a drop put back after a failed send keeps what it knew");
    }
}
