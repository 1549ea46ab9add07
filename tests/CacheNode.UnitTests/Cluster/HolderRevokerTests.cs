using System.Text;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>A home's write: only the key's holders are asked; one that does not answer is waited out, to the tick.</summary>
public sealed class HolderRevokerTests
{
    private static readonly LeaseTiming Timing = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
    private readonly FakeTimeProvider _time = new();
    private readonly NodeStats _stats = new();
    private readonly MemoryStream _output = new();
    private long _written;

    [Fact]
    public Task A_silent_holder_is_waited_out_until_its_grant_has_run_out_and_a_non_holder_is_not_asked() => VirtualTime.RunAsync(async () =>
    {
        var (table, revoker, writer) = Build(["n2", "n3"]);
        table.Record(Int(1), "n2");
        var until = table.HoldersOf(Int(1)).Single().Until;

        var revoke = revoker.RevokeHoldersAsync(Int(1), CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => Interlocked.Read(ref _written) > 0, "the outbox should send the revoke");
        _time.Advance(Timing.PeerTimeout);
        revoke.IsCompleted.Should().BeFalse("n2 did not acknowledge: its key lease may still be in use");
        _time.Advance(_time.TimeUntil(until) - TimeSpan.FromMilliseconds(1));
        revoke.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await revoke.WaitAsync(TimeSpan.FromSeconds(10));

        _stats.LeaseWaits.Should().Be(1);
        await writer.DisposeAsync();
        var sent = Encoding.UTF8.GetString(_output.ToArray());
        sent.Should().Contain("\"dest\":\"n2\"").And.Contain("\"type\":\"revoke\"").And.NotContain("\"dest\":\"n3\"");
    });

    [Fact]
    public Task A_holder_that_acknowledges_is_not_waited_for_and_forgotten() => VirtualTime.RunAsync(async () =>
    {
        var (table, revoker, writer) = Build(["n2"]);
        table.Record(Int(1), "n2");

        var revoke = revoker.RevokeHoldersAsync(Int(1), CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => _rpc!.TryComplete(FirstId, new RpcReply("n2", "revoke_ok", "{}"u8.ToArray())), "the revoke should be registered for its reply");
        await revoke.WaitAsync(TimeSpan.FromSeconds(10));

        _stats.LeaseWaits.Should().Be(0);
        table.HoldersOf(Int(1)).Should().BeEmpty("n2 dropped its copy");
        await writer.DisposeAsync();
    });

    [Fact]
    public Task A_holder_waited_out_until_its_volume_ended_is_not_waited_for_again() => VirtualTime.RunAsync(async () =>
    {
        // Key leases last the TTL, far longer than the volume: only the volume is waited out, once.
        var (table, revoker, writer) = Build(["n2"], keyLease: TimeSpan.FromSeconds(30));
        table.Record(Int(1), "n2");

        var first = revoker.RevokeHoldersAsync(Int(1), CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => Interlocked.Read(ref _written) > 0, "the outbox should send the revoke");
        _time.Advance(Timing.PeerTimeout);
        first.IsCompleted.Should().BeFalse("n2 did not acknowledge: its volume may still cover its copy");
        _time.Advance(Timing.GrantedFor - Timing.PeerTimeout + TimeSpan.FromMilliseconds(1));
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        _stats.LeaseWaits.Should().Be(1);

        table.HoldersOf(Int(1)).Should().BeEmpty("its volume is over and every later one carries the drop, so it cannot serve the copy again");
        await revoker.RevokeHoldersAsync(Int(1), CancellationToken.None);
        _stats.LeaseWaits.Should().Be(1, "the second write has nobody to wait for");
        await writer.DisposeAsync();
    });

    [Fact]
    public async Task A_key_nobody_holds_costs_no_message()
    {
        var (_, revoker, writer) = Build(["n2", "n3"]);

        await revoker.RevokeHoldersAsync(Int(1), CancellationToken.None);

        await writer.DisposeAsync();
        _output.ToArray().Should().BeEmpty();
    }

    private const long FirstId = 0;
    private RpcClient? _rpc;

    private (HolderTable Table, HolderRevoker Revoker, MessageWriter Writer) Build(IReadOnlyList<string> peers, TimeSpan? keyLease = null)
    {
        var table = new HolderTable(peers, Timing, _time, keyLease);
        // Past the start-up windows, in which every peer would count as a holder.
        _time.Advance(Timing.DatabaseFence + Timing.GrantedFor);
        var writer = new MessageWriter(new CountingStream(_output, count => Interlocked.Add(ref _written, count)));
        // The outbox's own call timeout runs on a clock that never moves: only the revoker's waits use the test's.
        _rpc = new RpcClient(writer, () => "n1", new FakeTimeProvider());
        var services = new NodeServices(_time, _stats, Log.Silent);
        var outboxes = peers.Select(peer => new RevokeOutbox(peer, _rpc, Timing.PeerTimeout, services)).ToList();
        // Every peer holds a volume granted now, so an unanswering holder is waited out until that volume
        // (or its key lease) ends.
        var ledger = new VolumeLedger(1, Timing, _time);
        foreach (var peer in peers)
        {
            ledger.Grant(peer, 1, 0);
        }

        return (table, new HolderRevoker(table, ledger, outboxes, Timing.PeerTimeout, services), writer);
    }

    // The writer's output, with a count the test can wait on from another thread.
    private sealed class CountingStream(Stream inner, Action<int> written) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            written(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            written(buffer.Length);
        }
    }
}
