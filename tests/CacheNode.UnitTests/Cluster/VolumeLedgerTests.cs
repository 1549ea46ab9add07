using CacheNode.Cluster;
using CacheNode.Threading;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>The home's volume leases: what a write waits for, and what every extended volume carries.</summary>
public sealed class VolumeLedgerTests
{
    private const long Run = 7;
    private static readonly LeaseTiming Timing = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
    private readonly FakeTimeProvider _time = new();
    private readonly VolumeLedger _ledger;

    public VolumeLedgerTests() => _ledger = new VolumeLedger(Run, Timing, _time);

    [Fact]
    public void A_write_waits_at_most_until_the_volume_granted_before_it_began()
    {
        _ledger.Grant("n2", Run, 0);
        var grantedUntil = _time.Now() + _time.SpanRoundedUp(Timing.GrantedFor);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var pending = _ledger.BeginRevoke(Int(1), new Holder("n2", Timestamp.Never));
        _ledger.Grant("n2", Run, 0);

        pending.WaitUntil.Should().Be(grantedUntil, "a volume granted after the revocation began carries it, so the write need not wait for that one");
    }

    [Fact]
    public void A_write_never_waits_past_the_key_lease_it_revokes_nor_at_all_for_a_peer_without_a_volume()
    {
        var keyLeaseEnds = _time.Now() + new TickSpan(1);
        _ledger.Grant("n2", Run, 0);
        _ledger.BeginRevoke(Int(1), new Holder("n2", keyLeaseEnds)).WaitUntil.Should().Be(keyLeaseEnds);

        _ledger.BeginRevoke(Int(1), new Holder("n3", Timestamp.Never)).WaitUntil.Should().Be(Timestamp.LongAgo, "n3 holds no volume: it serves nothing of this node's until it renews, and the renewal carries the drop");
    }

    [Fact]
    public void Every_grant_after_a_revocation_carries_it_until_the_peer_acknowledges_it_in_this_run()
    {
        var first = _ledger.BeginRevoke(Int(1), new Holder("n2", Timestamp.Never));
        var second = _ledger.BeginRevoke(Int(1), new Holder("n2", Timestamp.Never));
        second.Seq.Should().BeGreaterThan(first.Seq, "each write of a key gets an entry of its own, even if the key is listed already");

        var (grant, _) = _ledger.Grant("n2", Run, 0);
        grant.Run.Should().Be(Run);
        grant.Drops.Select(d => d.Seq).Should().Equal(first.Seq, second.Seq);
        grant.LastSeq.Should().Be(second.Seq);

        var (afterOtherRun, prunedByOtherRun) = _ledger.Grant("n2", Run - 1, second.Seq);
        prunedByOtherRun.Should().BeEmpty("an acknowledgement of the home's earlier run acknowledges nothing of this one");
        afterOtherRun.Drops.Should().HaveCount(2);

        var (afterFirst, pruned) = _ledger.Grant("n2", Run, first.Seq);
        pruned.Select(d => d.Seq).Should().Equal(first.Seq);
        afterFirst.Drops.Select(d => d.Seq).Should().Equal(second.Seq);
        _ledger.HasApplied("n2", first.Seq).Should().BeTrue();
        _ledger.HasApplied("n2", second.Seq).Should().BeFalse();
    }

    [Fact]
    public void A_revoke_ok_settles_its_entry_and_an_acknowledgement_beyond_what_was_sent_acknowledges_only_that()
    {
        var pending = _ledger.BeginRevoke(Int(1), new Holder("n2", Timestamp.Never));
        _ledger.RevokeAcknowledged("n2", pending.Seq);
        _ledger.HasApplied("n2", pending.Seq).Should().BeTrue();

        var later = _ledger.BeginRevoke(Int(2), new Holder("n2", Timestamp.Never));
        _ledger.Grant("n2", Run, later.Seq + 100);
        var next = _ledger.BeginRevoke(Int(3), new Holder("n2", Timestamp.Never));
        _ledger.HasApplied("n2", next.Seq).Should().BeFalse("the earlier acknowledgement could only cover entries already sent");
    }

    [Fact]
    public void A_peer_that_never_acknowledges_keeps_only_the_drops_whose_key_lease_is_not_over()
    {
        // A crashed or cut-off holder never renews, so nothing prunes its list but the sweep.
        var expired = _ledger.BeginRevoke(Int(1), new Holder("n2", _time.Now() + new TickSpan(10)));
        _time.Advance(TimeSpan.FromSeconds(1));

        var live = new List<PendingDrop>();
        for (var i = 0; i < 200; i++)
        {
            live.Add(_ledger.BeginRevoke(Int(i), new Holder("n2", Timestamp.Never)));
        }

        _ledger.HasApplied("n2", expired.Seq).Should().BeTrue("its key lease is over: the peer cannot be serving it");
        _ledger.PendingDrops("n2").Should().Be(200);
        live.Should().OnlyContain(d => !_ledger.HasApplied("n2", d.Seq), "a drop whose key lease may still be in use is never swept");
    }

    [Fact]
    public void A_grant_does_not_carry_drops_whose_key_lease_is_over()
    {
        // A peer that reads little acknowledges little: what it cannot be serving is not sent again.
        _ledger.BeginRevoke(Int(1), new Holder("n2", _time.Now() + new TickSpan(10)));
        var live = _ledger.BeginRevoke(Int(2), new Holder("n2", Timestamp.Never));
        _time.Advance(TimeSpan.FromSeconds(1));

        _ledger.Grant("n2", Run, 0).Grant.Drops.Select(d => d.Seq).Should().Equal(live.Seq);
    }
}
