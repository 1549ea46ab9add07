using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.UnitTests.TestDoubles;
using CacheNode.WriteBehind;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

public sealed class WriteBehindStrategyTests : IAsyncDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly ControllableDatabase _database = new();
    private readonly NodeStats _stats = new();
    // Stands still: no write delay runs out, however slow the machine; only flush and drain skip it.
    private readonly FakeTimeProvider _time = new();
    // A single node sends nothing to peers: this writer only stands in for the node's output.
    private readonly MessageWriter _output = new(Stream.Null);
    private WriteBehindStrategy? _strategy;

    public async ValueTask DisposeAsync()
    {
        if (_strategy is not null)
        {
            await _strategy.DisposeAsync();
        }

        await _output.DisposeAsync();
    }

    [Fact]
    public async Task Write_is_acked_before_the_database_has_it_and_reads_see_it_at_once()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        await strategy.WriteAsync(Int(1), Int(5));

        (await _database.Store.ReadAsync(Int(1))).Found.Should().BeFalse();
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(5));
        strategy.QueueDepth.Should().Be(1);
    }

    [Fact]
    public async Task Thousand_writes_to_one_key_within_the_delay_cost_one_database_write()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        for (var i = 0; i < 1000; i++)
        {
            await strategy.WriteAsync(Int(1), Int(i));
        }

        await strategy.FlushAsync();

        _database.Writes.Should().Be(1);
        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(999));
        _stats.CoalescedWrites.Should().Be(999);
        strategy.QueueDepth.Should().Be(0);
    }

    [Fact]
    public async Task Flusher_writes_in_batches_with_bounded_concurrency()
    {
        var gate = new TaskCompletionSource();
        _database.WriteGate = gate.Task;
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long, BatchSize = 4 });
        for (var key = 0; key < 20; key++)
        {
            await strategy.WriteAsync(Int(key), Int(key * 10));
        }

        var flush = strategy.FlushAsync().AsTask();
        await Eventually.TrueAsync(() => _database.Writes >= 4, "the first batch should reach the database"); // the first batch, held at the gate
        gate.SetResult();
        await flush;

        _database.MaxWritesInFlight.Should().Be(4, "a batch writes its keys at once, never more than the batch size");
        _database.Writes.Should().Be(20);
        _database.Store.Count.Should().Be(20);
    }

    [Fact]
    public async Task Failed_flushes_are_retried_until_the_database_takes_the_value()
    {
        // On the real clock: the flusher sleeps out a retry's backoff on a semaphore's own timer
        // (AsyncSignal.WaitAsync(TimeSpan)), which a virtual clock does not move.
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = TimeSpan.Zero }, time: TimeProvider.System);
        _database.FailNextWrites(3);
        await strategy.WriteAsync(Int(1), Int(5));

        await strategy.FlushAsync();

        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(5));
        _database.Writes.Should().Be(4);
        _stats.FlushRetries.Should().Be(3);
    }

    [Fact]
    public async Task Write_during_an_in_flight_flush_is_flushed_after_it_and_not_lost()
    {
        var gate = new TaskCompletionSource();
        _database.WriteGate = gate.Task;
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = TimeSpan.Zero });
        await strategy.WriteAsync(Int(1), Int(1));
        await Eventually.TrueAsync(() => _database.Writes == 1, "the flush should begin"); // its flush is under way, held at the gate

        await strategy.WriteAsync(Int(1), Int(2));
        gate.SetResult();
        await strategy.FlushAsync();

        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(2));
        _database.Writes.Should().Be(2);
        _database.MaxWritesInFlight.Should().Be(1, "one flush per key at a time keeps the key's values in order");
    }

    [Fact]
    public async Task Full_queue_rejects_a_new_key_with_definite_error_11_but_still_coalesces_dirty_keys()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long, QueueCapacity = 2 });
        await strategy.WriteAsync(Int(1), Int(1));
        await strategy.WriteAsync(Int(2), Int(2));

        var overflow = () => strategy.WriteAsync(Int(3), Int(3)).AsTask();
        var error = (await overflow.Should().ThrowAsync<NodeErrorException>()).Which;

        error.Code.Should().Be(ErrorCode.TemporarilyUnavailable);
        error.IsDefinite.Should().BeTrue();
        (await strategy.ReadAsync(Int(3))).Found.Should().BeFalse("a rejected write did not happen");
        await strategy.WriteAsync(Int(1), Int(10));
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(10));
        _stats.RejectedWrites.Should().Be(1);
    }

    [Fact]
    public async Task Full_queue_with_sync_overflow_writes_through_before_the_ack()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long, QueueCapacity = 1, Overflow = OverflowPolicy.Sync });
        await strategy.WriteAsync(Int(1), Int(1));
        await strategy.WriteAsync(Int(2), Int(2));

        (await _database.Store.ReadAsync(Int(2))).Value.Should().Be(Int(2));
        (await _database.Store.ReadAsync(Int(1))).Found.Should().BeFalse("key 1 is still waiting for its delay");
        (await strategy.ReadAsync(Int(2))).Value.Should().Be(Int(2));
    }

    [Fact]
    public async Task Cas_compares_against_the_dirty_value_not_the_database()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        await _database.Store.WriteAsync(Int(1), Int(0));
        await strategy.WriteAsync(Int(1), Int(1));

        (await strategy.CasAsync(Int(1), Int(0), Int(2), createIfNotExists: false)).Should().Be(CasResult.Mismatch);
        (await strategy.CasAsync(Int(1), Int(1), Int(2), createIfNotExists: false)).Should().Be(CasResult.Ok);
        (await strategy.CasAsync(Int(7), Int(1), Int(2), createIfNotExists: false)).Should().Be(CasResult.KeyMissing);
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(2));
    }

    [Fact]
    public async Task Concurrent_cas_on_one_key_lets_exactly_one_succeed()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long });
        await strategy.WriteAsync(Int(1), Int(0));

        var attempts = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() => strategy.CasAsync(Int(1), Int(0), Int(i), false).AsTask())));

        attempts.Count(r => r == CasResult.Ok).Should().Be(1);
    }

    [Fact]
    public async Task Drain_at_shutdown_writes_every_dirty_entry_without_waiting_out_the_delay()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = TimeSpan.FromMinutes(10) });
        for (var key = 0; key < 100; key++)
        {
            await strategy.WriteAsync(Int(key), Int(key));
        }

        // The budget is on the fake clock, which stands still: the real-time bound turns a drain that
        // never ends into a failure.
        var left = await strategy.DrainAsync(TimeSpan.FromSeconds(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        left.Should().Be(0);
        _database.Store.Count.Should().Be(100);
        for (var key = 0; key < 100; key++)
        {
            (await _database.Store.ReadAsync(Int(key))).Value.Should().Be(Int(key));
        }
    }

    [Fact]
    public async Task Flush_waits_for_writes_acked_before_it()
    {
        var gate = new TaskCompletionSource();
        _database.WriteGate = gate.Task;
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = TimeSpan.FromSeconds(5) });
        await strategy.WriteAsync(Int(1), Int(1));
        await strategy.WriteAsync(Int(2), Int(2));

        var flush = strategy.FlushAsync().AsTask();
        await Eventually.TrueAsync(() => _database.Writes == 2, "both writes should reach the database");
        flush.IsCompleted.Should().BeFalse("both writes are still on their way to the database");
        gate.SetResult();
        await flush;

        _database.Store.Count.Should().Be(2);
    }

    [Theory]
    [InlineData("eviction")]
    [InlineData("invalidation")]
    public async Task Fill_that_raced_a_write_cannot_bring_back_the_old_value_after_the_flush(string dropCachedCopyBy)
    {
        // A reader's fill is held in the database while the key is written; the cached copy is then
        // dropped, so the waiting reader leads a second fill of the database's old value. Nothing the
        // fill read may be served once the write is flushed.
        await _database.Store.WriteAsync(Int(1), Int(0));
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = Long }, CacheOptions.Default with { MaxEntries = 1 });
        var gate = new TaskCompletionSource();
        _database.ReadGate = gate.Task;
        var leader = strategy.ReadAsync(Int(1)).AsTask();
        var joiner = strategy.ReadAsync(Int(1)).AsTask();

        await strategy.WriteAsync(Int(1), Int(1));

        // The leader holds the gate; reads from here on answer at once.
        _database.ReadGate = null;
        if (dropCachedCopyBy == "eviction")
        {
            await strategy.WriteAsync(Int(2), Int(2));
            await strategy.ReadAsync(Int(3));
        }
        else
        {
            await strategy.InvalidateAsync(Int(1));
        }

        gate.SetResult();
        await Task.WhenAll(leader, joiner);
        await strategy.FlushAsync();

        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(1));
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(1), "a read that starts after the acked write is flushed sees it");
        (await strategy.CasAsync(Int(1), Int(1), Int(5), createIfNotExists: false)).Should().Be(CasResult.Ok, "cas compares against the current value");
    }

    [Fact]
    public async Task Write_after_drain_began_is_refused_with_definite_error_11_not_acked_and_lost()
    {
        var strategy = Create(WriteBehindOptions.Default with { WriteDelay = TimeSpan.Zero });
        (await strategy.DrainAsync(TimeSpan.FromSeconds(5))).Should().Be(0);

        var late = () => strategy.WriteAsync(Int(1), Int(1)).AsTask();

        var error = (await late.Should().ThrowAsync<NodeErrorException>()).Which;
        error.Code.Should().Be(ErrorCode.TemporarilyUnavailable);
        (await strategy.ReadAsync(Int(1))).Found.Should().BeFalse();
    }

    private WriteBehindStrategy Create(WriteBehindOptions options, CacheOptions? cacheOptions = null, TimeProvider? time = null)
    {
        time ??= _time;
        var cache = new CacheStore(cacheOptions ?? CacheOptions.Default, time, _stats);
        var reader = new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, time);
        var singleNode = new WriteBehindSetup(
            options,
            new ClusterMembership("n1", ["n1"]),
            new LeaseTiming(Lease: Long, PeerTimeout: Long, DatabaseTimeout: Long),
            BackupMode.SingleNode,
            ForwardTimeout: Long);
        var rpc = new RpcClient(_output, () => "n1", time);
        _strategy = WriteBehindModule.Create(singleNode, reader, _database, rpc, new NodeServices(time, _stats, Log.Silent)).Local;
        return _strategy;
    }

}
