using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>Both sides of a lease: the holder serves only under every peer's lease; the grantor knows how long its grants may be in use.</summary>
public sealed class LeaseTests
{
    private static readonly LeaseTiming Timing = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
    private readonly FakeTimeProvider _time = new();
    private readonly NodeStats _stats = new();

    [Fact]
    public void Holder_serves_only_once_every_peer_has_granted_and_until_the_earliest_grant_runs_out()
    {
        var cache = NewCache();
        var held = new HeldLeases(["n2", "n3"], Timing, cache, _time);

        held.Granted("n2", _time.Now());
        cache.IsServing.Should().BeFalse("n3 has not granted a lease yet");

        var n3AskedAt = _time.Now();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        held.Granted("n3", n3AskedAt);
        cache.IsServing.Should().BeTrue();

        // n2's lease runs from when it was asked for, shortened by the drift margin, not from now.
        _time.Advance(Timing.HeldFor - TimeSpan.FromMilliseconds(301));
        cache.IsServing.Should().BeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(2));
        cache.IsServing.Should().BeFalse();
    }

    [Fact]
    public void A_late_reply_to_an_older_request_never_shortens_a_lease()
    {
        var cache = NewCache();
        var held = new HeldLeases(["n2"], Timing, cache, _time);
        var older = _time.Now();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        held.Granted("n2", _time.Now());

        held.Granted("n2", older);

        held.ServingUntil.Should().Be(_time.Now() + new TickSpan(Timing.HeldFor.Ticks));
    }

    [Fact]
    public void A_node_that_just_started_takes_no_lease_from_a_peer_with_writes_in_flight_until_they_must_have_landed()
    {
        // Restarted after a crash: it may have acknowledged one of those revocations and forgotten it.
        var cache = NewCache();
        var held = new HeldLeases(["n2"], Timing, cache, _time);

        held.Granted("n2", _time.Now(), peerWritesInFlight: true);
        cache.IsServing.Should().BeFalse();
        _time.Advance(Timing.RevocationTtl - TimeSpan.FromMilliseconds(1));
        held.Granted("n2", _time.Now(), peerWritesInFlight: true);
        cache.IsServing.Should().BeFalse();

        _time.Advance(TimeSpan.FromMilliseconds(2));
        held.Granted("n2", _time.Now(), peerWritesInFlight: true);
        cache.IsServing.Should().BeTrue();
    }

    [Fact]
    public void A_node_that_just_started_takes_a_lease_at_once_from_a_peer_with_nothing_in_flight()
    {
        var cache = NewCache();
        var held = new HeldLeases(["n2"], Timing, cache, _time);

        held.Granted("n2", _time.Now(), peerWritesInFlight: false);

        cache.IsServing.Should().BeTrue();
    }

    [Fact]
    public void Grantor_waits_until_its_last_grant_may_no_longer_be_in_use_and_grants_nothing_meanwhile()
    {
        var grants = new GrantedLeases(["n2"], Timing, _time);
        _time.Advance(TimeSpan.FromSeconds(5));
        grants.TryGrant("n2").Should().BeTrue();
        var grantedAt = _time.Now();
        _time.Advance(TimeSpan.FromMilliseconds(200));

        var until = grants.Block("n2");

        until.Should().Be(grantedAt + new TickSpan(Timing.GrantedFor.Ticks));
        // Granted for longer than held for: the margin covers clocks that drift apart.
        Timing.GrantedFor.Should().BeGreaterThan(Timing.HeldFor);
        grants.TryGrant("n2").Should().BeFalse();
        grants.Block("n2");
        grants.Unblock("n2");
        grants.TryGrant("n2").Should().BeFalse("blocks nest: another write is still waiting");
        grants.Unblock("n2");
        grants.TryGrant("n2").Should().BeTrue();
    }

    [Fact]
    public void A_node_that_just_started_grants_nothing_until_a_write_it_may_have_sent_before_a_crash_has_landed()
    {
        var grants = new GrantedLeases(["n2"], Timing, _time);

        grants.TryGrant("n2").Should().BeFalse();
        _time.Advance(Timing.DatabaseTimeout);
        grants.TryGrant("n2").Should().BeFalse("the drift margin");
        _time.Advance(Timing.DatabaseTimeout * Timing.DriftFraction + LeaseTiming.Slack + TimeSpan.FromTicks(1));
        grants.TryGrant("n2").Should().BeTrue();
    }

    [Fact]
    public void A_node_that_just_started_counts_every_peer_as_granted_now()
    {
        // It may have granted leases before a crash it cannot remember.
        var grants = new GrantedLeases(["n2"], Timing, _time);

        grants.Block("n2").Should().Be(_time.Now() + new TickSpan(Timing.GrantedFor.Ticks));
    }

    [Fact]
    public void Grants_go_only_to_known_peers()
    {
        var grants = new GrantedLeases(["n2"], Timing, _time);

        grants.TryGrant("c1").Should().BeFalse();
    }

    [Fact]
    public void Revocation_ttl_outlasts_the_longest_write_it_guards()
    {
        Timing.RevocationTtl.Should().BeGreaterThan(Timing.PeerTimeout + Timing.GrantedFor + Timing.DatabaseTimeout);
        // A write sent at the end of its window still lands (within the database timeout) before a peer
        // whose clock runs fast by the drift margin lets the revocation go.
        (Timing.SendWindow + Timing.DatabaseTimeout).Should().BeLessThan(Timing.RevocationTtl / (1 + Timing.DriftFraction));
        // ... and the window leaves room after the longest lease wait.
        Timing.SendWindow.Should().BeGreaterThan(Timing.PeerTimeout + Timing.GrantedFor + TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_write_that_stalled_past_its_send_window_may_no_longer_be_sent()
    {
        var invalidator = new PeerInvalidator([], new GrantedLeases([], Timing, _time), Timing, _time, _stats);
        var revocation = new Revocation(1, [], SendBy: _time.Now());

        invalidator.IsStillSendable(revocation).Should().BeTrue();
        _time.Advance(TimeSpan.FromTicks(1));

        invalidator.IsStillSendable(revocation).Should().BeFalse();
    }

    private CacheStore NewCache() => new(CacheOptions.Default with { PeerLeased = true }, _time, _stats);
}
