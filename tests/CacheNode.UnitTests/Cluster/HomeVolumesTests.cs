using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Protocol;
using CacheNode.Threading;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>The holder's volume leases: drops before extension, runs, and what is covered when.</summary>
public sealed class HomeVolumesTests
{
    private static readonly LeaseTiming Timing = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
    private readonly FakeTimeProvider _time = new();
    private readonly HomeVolumes _volumes;
    private readonly List<RawJson> _dropped = [];

    public HomeVolumesTests() => _volumes = new HomeVolumes(Timing, _time);

    [Fact]
    public void A_volume_covers_its_runs_copies_from_when_its_request_was_sent_not_from_the_reply()
    {
        var sentAt = _time.Now();
        _time.Advance(TimeSpan.FromMilliseconds(300)); // the reply took its time
        _volumes.Apply("n1", new VolumeGrant(5, [], 0, Timing.Lease), sentAt, _dropped.Add);

        _volumes.Covers("n1", 5, _time.Now()).Should().BeTrue();
        _volumes.Covers("n1", 4, _time.Now()).Should().BeFalse("a copy from another run of the home is not covered");
        _time.Advance(Timing.HeldFor - TimeSpan.FromMilliseconds(300));
        _volumes.Covers("n1", 5, _time.Now()).Should().BeFalse("counted from the request's sending");
    }

    [Fact]
    public void Listed_keys_are_dropped_before_the_volume_is_extended_and_each_entry_only_once()
    {
        var coveredWhenDropped = new List<bool>();
        _volumes.Apply("n1", new VolumeGrant(5, [new DropEntry(1, Int(1), Timestamp.Never)], 1, Timing.Lease), _time.Now(), key =>
        {
            coveredWhenDropped.Add(_volumes.Covers("n1", 5, _time.Now()));
            _dropped.Add(key);
        });
        coveredWhenDropped.Should().Equal(false);

        _volumes.Apply("n1", new VolumeGrant(5, [new DropEntry(1, Int(1), Timestamp.Never), new DropEntry(2, Int(2), Timestamp.Never)], 2, Timing.Lease), _time.Now(), _dropped.Add);

        _dropped.Should().Equal(Int(1), Int(2));
        _volumes.Of("n1").AppliedSeq.Should().Be(2);
    }

    [Fact]
    public void A_new_run_of_the_home_starts_afresh_and_a_late_grant_of_an_earlier_run_changes_nothing()
    {
        _volumes.Apply("n1", new VolumeGrant(5, [], 9, Timing.Lease), _time.Now(), _dropped.Add);
        _volumes.Apply("n1", new VolumeGrant(6, [new DropEntry(1, Int(3), Timestamp.Never)], 1, Timing.Lease), _time.Now(), _dropped.Add);

        _dropped.Should().Equal([Int(3)], "run 6 numbers its entries from 1 again");
        _volumes.Covers("n1", 5, _time.Now()).Should().BeFalse();
        _volumes.Covers("n1", 6, _time.Now()).Should().BeTrue();

        _volumes.Apply("n1", new VolumeGrant(5, [new DropEntry(10, Int(4), Timestamp.Never)], 10, Timing.Lease), _time.Now(), _dropped.Add);
        _volumes.Of("n1").Should().Be(_volumes.Of("n1") with { Run = 6, AppliedSeq = 1 });
    }

    [Fact]
    public void A_hit_renews_from_the_volumes_second_half_on()
    {
        CheckCurrentRun("n1").Should().Be(CoverageState.Lapsed, "there is no volume yet");
        _volumes.Apply("n1", new VolumeGrant(5, [], 0, Timing.Lease), _time.Now(), _dropped.Add);
        CheckCurrentRun("n1").Should().Be(CoverageState.Covered);

        _time.Advance(Timing.HeldFor / 2);

        CheckCurrentRun("n1").Should().Be(CoverageState.CoveredRenewDue);
    }

    [Fact]
    public void A_volume_is_held_no_longer_than_the_home_counts_it()
    {
        // The home runs with a shorter lease_ms than this node: it waits out only its own length.
        var shorter = TimeSpan.FromMilliseconds(100);
        _volumes.Apply("n1", new VolumeGrant(5, [], 0, shorter), _time.Now(), _dropped.Add);

        _time.Advance(Timing.HeldForLease(shorter) - TimeSpan.FromMilliseconds(1));
        _volumes.Covers("n1", 5, _time.Now()).Should().BeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _volumes.Covers("n1", 5, _time.Now()).Should().BeFalse("the home stops waiting for this holder after its own, shorter, volume");

        // A home with a longer one is held only as long as this node's own setting.
        _volumes.Apply("n1", new VolumeGrant(5, [], 0, TimeSpan.FromSeconds(60)), _time.Now(), _dropped.Add);
        _time.Advance(Timing.HeldFor);
        _volumes.Covers("n1", 5, _time.Now()).Should().BeFalse();
    }

    // What a copy granted by the home's current run would be told now.
    private CoverageState CheckCurrentRun(string home) => _volumes.Check(new CoverageTag(home, _volumes.Of(home).Run), _time.Now());
}
