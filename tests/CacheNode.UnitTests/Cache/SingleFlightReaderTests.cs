using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cache;

public sealed class SingleFlightReaderTests
{
    private readonly ControllableDatabase _database = new();
    private readonly NodeStats _stats = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CacheStore _cache;
    private readonly SingleFlightReader _reader;

    public SingleFlightReaderTests()
    {
        _cache = new CacheStore(CacheOptions.Default, _time, _stats);
        _reader = new SingleFlightReader(_cache, _database, Log.Silent, CancellationToken.None, _time);
    }

    [Fact]
    public async Task Thousand_concurrent_reads_of_a_cold_key_cost_exactly_one_database_read()
    {
        await _database.Store.WriteAsync(Int(1), Int(42));
        var gate = new TaskCompletionSource();
        _database.ReadGate = gate.Task;

        var reads = Enumerable.Range(0, 1000).Select(_ => _reader.ReadAsync(Int(1)).AsTask()).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(reads);

        _database.Reads.Should().Be(1);
        results.Should().OnlyContain(r => r == ReadResult.Of(Int(42)));
        _stats.CoalescedWaits.Should().Be(999);
    }

    [Fact]
    public Task Reads_during_a_write_wait_for_it_and_take_its_value_without_reading_the_database() => VirtualTime.RunAsync(async () =>
    {
        // Well inside the TTL: the write's value ages from when the write began, so a write that long
        // would leave a value about to expire.
        var hold = TimeSpan.FromSeconds(1);
        var cache = new CacheStore(CacheOptions.Default with { HoldReadsDuringWrites = hold }, _time, _stats);
        var reader = new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, _time);
        var ticket = cache.BeginWrite(Int(1));

        var reads = Enumerable.Range(0, 50).Select(_ => reader.ReadAsync(Int(1)).AsTask()).ToList();
        _time.Advance(hold - TimeSpan.FromMilliseconds(1));
        reads.Should().OnlyContain(read => !read.IsCompleted, "the write has not ended and the hold has a millisecond left");
        cache.EndWrite(ticket, WriteCompletion.Install, Int(7));

        (await Task.WhenAll(reads)).Should().OnlyContain(r => r == ReadResult.Of(Int(7)));
        _database.Reads.Should().Be(0);
    });

    [Fact]
    public Task Read_held_by_a_write_that_outlasts_the_hold_reads_the_database_itself() => VirtualTime.RunAsync(async () =>
    {
        await _database.Store.WriteAsync(Int(1), Int(42));
        var hold = TimeSpan.FromMilliseconds(20);
        var cache = new CacheStore(CacheOptions.Default with { HoldReadsDuringWrites = hold }, _time, _stats);
        var reader = new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, _time);
        cache.BeginWrite(Int(1));

        var read = reader.ReadAsync(Int(1)).AsTask();
        _time.Advance(hold - TimeSpan.FromMilliseconds(1));
        read.IsCompleted.Should().BeFalse("the hold has a millisecond left");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        read.IsCompleted.Should().BeTrue("the hold is over: the reader waits no longer for the write");

        (await read).Should().Be(ReadResult.Of(Int(42)));
        _database.Reads.Should().Be(1);
    });

    [Fact]
    public async Task Failed_fill_fails_every_waiter_and_the_next_read_tries_again()
    {
        await _database.Store.WriteAsync(Int(1), Int(42));
        var gate = new TaskCompletionSource();
        _database.ReadGate = gate.Task;

        var reads = Enumerable.Range(0, 100).Select(_ => _reader.ReadAsync(Int(1)).AsTask()).ToList();
        gate.SetException(new TimeoutException("database did not answer"));
        foreach (var read in reads)
        {
            await read.Invoking(r => r).Should().ThrowAsync<TimeoutException>();
        }

        _cache.TryPeek(Int(1), out _).Should().BeFalse("a failed fill caches nothing");
        _database.ReadGate = null;
        (await _reader.ReadAsync(Int(1))).Should().Be(ReadResult.Of(Int(42)));
        _database.Reads.Should().Be(2);
    }

    [Fact]
    public async Task Waiter_of_a_fill_that_lost_a_race_with_a_write_reads_again_and_sees_the_write()
    {
        var strategy = new WriteThroughStrategy(_reader, _database, LandingFence.None);
        await _database.Store.WriteAsync(Int(1), Int(1));
        var gate = new TaskCompletionSource();
        _database.ReadGate = gate.Task;

        // The leader's read has taken the old value from the database and waits at the gate.
        var leader = _reader.ReadAsync(Int(1)).AsTask();
        var waiter = _reader.ReadAsync(Int(1)).AsTask();
        _database.ReadGate = null;
        await strategy.WriteAsync(Int(1), Int(2));
        gate.SetResult();

        (await leader).Value.Should().Be(Int(1), "the leader's own read happened during its request");
        (await waiter).Value.Should().Be(Int(2), "the waiter must not take a value that predates the write it may follow");
        _cache.TryPeek(Int(1), out var cached).Should().BeTrue();
        cached.Value.Should().Be(Int(2));
        _stats.RejectedStaleFills.Should().Be(1);
    }
}
