using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>The writer's side against a peer that never answers: it is waited out, and told about the write until it is released.</summary>
public sealed class PeerInvalidatorTests : IAsyncDisposable
{
    // Whole milliseconds, GrantedFor too (106 ms): Task.Delay and WaitAsync drop a sub-millisecond
    // remainder, and the lease wait then spins on a virtual clock that only the test moves.
    private static readonly LeaseTiming Timing = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10));
    private readonly FakeTimeProvider _time = new();
    private readonly NodeStats _stats = new();
    private readonly MessageWriter _writer = new(Stream.Null);
    private readonly GrantedLeases _grants;
    private readonly PeerInvalidator _invalidator;

    public PeerInvalidatorTests()
    {
        // n2 never answers, and the outbox's call to it never gives up either (a clock of its own that
        // nobody moves): the invalidator's own wait for the acknowledgement is what times out, and no
        // thread but the test's uses the test's clock.
        var rpc = new RpcClient(_writer, () => "n1", new FakeTimeProvider());
        var outbox = new PeerOutbox("n2", rpc, _writer, () => "n1", Timing, _stats, Log.Silent);
        _grants = new GrantedLeases(["n2"], Timing, _time);
        _invalidator = new PeerInvalidator([outbox], _grants, Timing, _time, _stats);
    }

    public async ValueTask DisposeAsync()
    {
        await _invalidator.DisposeAsync();
        await _writer.DisposeAsync();
    }

    [Fact]
    public Task Silent_peer_is_blocked_and_waited_out_and_told_of_the_write_until_it_is_released() => VirtualTime.RunAsync(async () =>
    {
        _time.Advance(Timing.DatabaseFence); // past the window in which a node that just started grants nothing
        _grants.TryGrant("n2").Should().BeTrue();
        var leaseEnds = _time.GetUtcNow() + Timing.GrantedFor;

        var revoking = _invalidator.RevokeAsync(Int(1), CancellationToken.None).AsTask();

        _time.Advance(Timing.PeerTimeout);
        _stats.LeaseWaits.Should().Be(1, "n2 did not acknowledge in time");
        _grants.TryGrant("n2").Should().BeFalse("no new lease while the write may still land");
        _time.Advance(leaseEnds - _time.GetUtcNow() - TimeSpan.FromTicks(1));
        revoking.IsCompleted.Should().BeFalse("the last lease granted to n2 has a tick left");
        // A tick past the lease: the grantor may round its wait up to the next timestamp tick.
        _time.Advance(TimeSpan.FromTicks(2));
        revoking.IsCompleted.Should().BeTrue("the last lease granted to n2 has run out");

        var revocation = await revoking;
        revocation.Blocked.Should().Equal("n2");
        _grants.TryGrant("n2").Should().BeFalse("no new lease while the write may still land");
        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeTrue("a peer that just started may have acknowledged it before a crash");
        _invalidator.HasWritesInFlightOlderThan(TimeSpan.FromHours(1)).Should().BeFalse("a peer up for an hour acknowledged it, if at all, in this life");

        _invalidator.Release(revocation, WriteCompletion.Invalidate, default);

        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeFalse();
        _grants.TryGrant("n2").Should().BeTrue();
    });

    [Fact]
    public async Task Cancelled_revocation_lets_go_of_everything()
    {
        _time.Advance(Timing.DatabaseFence); // past the window in which a node that just started grants nothing

        // Cancelled while waiting for acknowledgements (the node is shutting down).
        await _invalidator.Awaiting(i => i.RevokeAsync(Int(1), new CancellationToken(canceled: true)).AsTask()).Should().ThrowAsync<OperationCanceledException>();
        _time.Advance(TimeSpan.FromMilliseconds(1)); // a write still counted in flight is older than zero only once the clock has moved

        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeFalse();
        _grants.TryGrant("n2").Should().BeTrue();
    }
}
