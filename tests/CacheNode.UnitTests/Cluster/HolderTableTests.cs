using CacheNode.Cluster;
using CacheNode.Threading;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>The home's record of who may hold its keys: what a write must revoke or wait out.</summary>
public sealed class HolderTableTests
{
    private static readonly LeaseTiming Timing = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_restarted_home_grants_nothing_until_its_earlier_runs_volumes_are_over_even_if_the_database_fence_is_shorter()
    {
        // A database timeout shorter than a lease: the fence alone would let grants begin inside the
        // window in which a peer may still serve a copy the earlier run let it cache.
        var timing = new LeaseTiming(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        var table = new HolderTable(["n2"], timing, _time);

        _time.Advance(timing.DatabaseFence);
        table.MayGrant.Should().BeFalse("the earlier run's volumes may still cover copies");
        _time.Advance(timing.GrantedFor - timing.DatabaseFence);
        table.MayGrant.Should().BeTrue();
    }

    [Fact]
    public void A_grant_is_held_from_when_it_was_recorded_for_the_lease_plus_the_drift_margin_then_forgotten()
    {
        var table = StartedLongAgo(["n2", "n3"]);
        var grantedAt = _time.Now();
        table.Record(Int(1), "n2");

        table.HoldersOf(Int(1)).Should().Equal(new Holder("n2", grantedAt + _time.SpanRoundedUp(Timing.GrantedFor)));
        table.HoldersOf(Int(2)).Should().BeEmpty("nobody asked for key 2");

        _time.Advance(Timing.GrantedFor - TimeSpan.FromTicks(1));
        table.HoldersOf(Int(1)).Should().ContainSingle();
        _time.Advance(TimeSpan.FromTicks(1));
        table.HoldersOf(Int(1)).Should().BeEmpty("the holder stopped serving it before now");
    }

    [Fact]
    public void A_later_grant_extends_and_an_acknowledged_revoke_forgets_only_the_grant_it_revoked()
    {
        var table = StartedLongAgo(["n2"]);
        table.Record(Int(1), "n2");
        var revoked = table.HoldersOf(Int(1)).Single();

        // A fill that came while the revoke was on its way: a newer grant, which the ack must not erase.
        _time.Advance(TimeSpan.FromMilliseconds(10));
        table.Record(Int(1), "n2");
        table.Revoked(Int(1), revoked);
        table.HoldersOf(Int(1)).Should().ContainSingle().Which.Until.Should().BeGreaterThan(revoked.Until);

        table.Revoked(Int(1), table.HoldersOf(Int(1)).Single());
        table.HoldersOf(Int(1)).Should().BeEmpty();
    }

    [Fact]
    public void A_node_that_just_started_counts_every_peer_as_a_holder_for_one_lease_unless_it_cleared_them()
    {
        // Its earlier run may have granted anything before a crash.
        var table = new HolderTable(["n2", "n3"], Timing, _time);
        var until = _time.Now() + _time.SpanRoundedUp(Timing.GrantedFor);

        table.HoldersOf(Int(7)).Should().BeEquivalentTo([new Holder("n2", until, FromEarlierRun: true), new Holder("n3", until, FromEarlierRun: true)]);
        table.EarlierRunCleared("n3");
        table.HoldersOf(Int(7)).Should().Equal(new Holder("n2", until, FromEarlierRun: true));

        _time.Advance(Timing.GrantedFor);
        table.HoldersOf(Int(7)).Should().BeEmpty();
    }

    [Fact]
    public void A_node_that_just_started_grants_nothing_until_a_write_its_earlier_run_sent_must_have_landed()
    {
        var table = new HolderTable(["n2"], Timing, _time);

        table.MayGrant.Should().BeFalse();
        _time.Advance(Timing.DatabaseFence - TimeSpan.FromTicks(1));
        table.MayGrant.Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));
        table.MayGrant.Should().BeTrue();
    }

    [Fact]
    public void Expired_grants_of_keys_never_written_again_are_swept()
    {
        var table = StartedLongAgo(["n2"]);
        for (var key = 0; key < 5000; key++)
        {
            table.Record(Int(key), "n2");
        }

        _time.Advance(Timing.GrantedFor * 2);
        for (var key = 0; key < 5000; key++)
        {
            table.Record(Int(100_000), "n2");
        }

        table.KeysHeld.Should().BeLessThan(5000);
    }

    private HolderTable StartedLongAgo(IReadOnlyList<string> peers)
    {
        var table = new HolderTable(peers, Timing, _time);
        _time.Advance(Timing.DatabaseFence + Timing.GrantedFor);
        return table;
    }
}
