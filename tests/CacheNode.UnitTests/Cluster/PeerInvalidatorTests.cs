using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>The writer's side against a peer that never answers: it is waited out, and told about the write until it is released.</summary>
public sealed class PeerInvalidatorTests : IAsyncDisposable
{
    // A short database timeout: a grantor that just started grants nothing for that long.
    private static readonly LeaseTiming Timing = new(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10));
    private readonly NodeStats _stats = new();
    private readonly MessageWriter _writer = new(Stream.Null);
    private readonly GrantedLeases _grants;
    private readonly PeerInvalidator _invalidator;

    public PeerInvalidatorTests()
    {
        var rpc = new RpcClient(_writer, () => "n1", TimeProvider.System);
        var outbox = new PeerOutbox("n2", rpc, _writer, () => "n1", Timing, _stats, Log.Silent);
        _grants = new GrantedLeases(["n2"], Timing, TimeProvider.System);
        _invalidator = new PeerInvalidator([outbox], _grants, Timing, TimeProvider.System, _stats);
    }

    public async ValueTask DisposeAsync()
    {
        await _invalidator.DisposeAsync();
        await _writer.DisposeAsync();
    }

    [Fact]
    public async Task Silent_peer_is_blocked_and_waited_out_and_told_of_the_write_until_it_is_released()
    {
        await Task.Delay(Timing.DatabaseTimeout * 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _grants.TryGrant("n2").Should().BeTrue();

        var revocation = await _invalidator.RevokeAsync(Int(1), CancellationToken.None);

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(Timing.GrantedFor, "the last lease granted to n2 had to run out");
        revocation.Blocked.Should().Equal("n2");
        _stats.LeaseWaits.Should().Be(1);
        _grants.TryGrant("n2").Should().BeFalse("no new lease while the write may still land");
        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeTrue("a peer that just started may have acknowledged it before a crash");
        _invalidator.HasWritesInFlightOlderThan(TimeSpan.FromHours(1)).Should().BeFalse("a peer up for an hour acknowledged it, if at all, in this life");

        _invalidator.Release(revocation, WriteCompletion.Invalidate, default);

        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeFalse();
        _grants.TryGrant("n2").Should().BeTrue();
    }

    [Fact]
    public async Task Cancelled_revocation_lets_go_of_everything()
    {
        await Task.Delay(Timing.DatabaseTimeout * 2); // past the window in which a node that just started grants nothing

        // Cancelled while waiting for acknowledgements (the node is shutting down).
        await _invalidator.Awaiting(i => i.RevokeAsync(Int(1), new CancellationToken(canceled: true)).AsTask()).Should().ThrowAsync<OperationCanceledException>();

        _invalidator.HasWritesInFlightOlderThan(TimeSpan.Zero).Should().BeFalse();
        _grants.TryGrant("n2").Should().BeTrue();
    }
}
