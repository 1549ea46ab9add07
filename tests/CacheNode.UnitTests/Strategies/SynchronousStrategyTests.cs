using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Strategies;

public sealed class SynchronousStrategyTests
{
    private readonly ControllableDatabase _database = new();
    private readonly CacheStore _cache = new(CacheOptions.Default, TimeProvider.System, new NodeStats());

    [Fact]
    public async Task Write_through_puts_the_value_in_the_database_and_the_cache()
    {
        var strategy = new WriteThroughStrategy(Reader(), _database, LandingFence.None);
        await strategy.WriteAsync(Int(1), Int(5));

        (await _database.Store.ReadAsync(Int(1))).Value.Should().Be(Int(5));
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(5));
        _database.Reads.Should().Be(0, "the read was served by the cache");
    }

    [Fact]
    public async Task Cache_aside_write_deletes_the_cached_copy_and_the_next_read_fills_it()
    {
        var strategy = new CacheAsideStrategy(Reader(), _database, LandingFence.None);
        await strategy.WriteAsync(Int(1), Int(5));
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(5));
        await strategy.WriteAsync(Int(1), Int(6));

        _cache.TryPeek(Int(1), out _).Should().BeFalse();
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(6));
        _database.Reads.Should().Be(2);
    }

    [Theory]
    [InlineData("write-through")]
    [InlineData("cache-aside")]
    public async Task Cas_compares_against_the_database_not_a_stale_cached_copy(string kind)
    {
        var strategy = Create(kind);
        await strategy.WriteAsync(Int(1), Int(1));
        await strategy.ReadAsync(Int(1));

        (await strategy.CasAsync(Int(1), Int(1), Int(2), createIfNotExists: false)).Should().Be(CasResult.Ok);
        (await strategy.CasAsync(Int(1), Int(1), Int(3), createIfNotExists: false)).Should().Be(CasResult.Mismatch);
        (await strategy.CasAsync(Int(9), Int(1), Int(3), createIfNotExists: false)).Should().Be(CasResult.KeyMissing);
        (await strategy.CasAsync(Int(9), Int(1), Int(3), createIfNotExists: true)).Should().Be(CasResult.Ok);
        (await strategy.ReadAsync(Int(1))).Value.Should().Be(Int(2));
        (await strategy.ReadAsync(Int(9))).Value.Should().Be(Int(3));
    }

    [Fact]
    public async Task Write_that_fails_indefinitely_drops_the_cached_copy()
    {
        var strategy = new WriteThroughStrategy(Reader(), _database, LandingFence.None);
        await strategy.WriteAsync(Int(1), Int(1));
        _database.FailNextWrites(1);

        var failing = () => strategy.WriteAsync(Int(1), Int(2)).AsTask();

        (await failing.Should().ThrowAsync<NodeErrorException>()).Which.IsDefinite.Should().BeFalse();
        _cache.TryPeek(Int(1), out _).Should().BeFalse("the write may have happened, so the old value is suspect");
    }

    [Fact]
    public Task A_write_that_got_no_answer_keeps_its_key_out_of_the_cache_until_it_must_have_landed() => VirtualTime.RunAsync(async () =>
    {
        // lin-kv may still apply the write up to a database timeout after it left the node.
        var time = new FakeTimeProvider();
        var cache = new CacheStore(CacheOptions.Default, time, new NodeStats());
        var fence = TimeSpan.FromSeconds(1);
        var strategy = new WriteThroughStrategy(new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, time), _database, new LandingFence(fence, time));
        _database.FailNextWrites(1);

        var failing = () => strategy.WriteAsync(Int(1), Int(2)).AsTask();
        await failing.Should().ThrowAsync<NodeErrorException>();

        // A fill now could read the old value, and the late write land after it.
        var early = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(early, ReadResult.Of(Int(1))).Should().BeFalse();
        time.Advance(fence - TimeSpan.FromMilliseconds(1));
        var stillEarly = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(stillEarly, ReadResult.Of(Int(1))).Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        var landed = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(landed, ReadResult.Of(Int(2))).Should().BeTrue();
    });

    [Fact]
    public async Task An_answered_cache_aside_write_lets_the_next_fill_install_at_once()
    {
        // Only a write that got no answer is fenced; cache-aside drops the copy on every answered write too.
        var time = new FakeTimeProvider();
        var cache = new CacheStore(CacheOptions.Default, time, new NodeStats());
        var strategy = new CacheAsideStrategy(new SingleFlightReader(cache, _database, Log.Silent, CancellationToken.None, time), _database, new LandingFence(TimeSpan.FromSeconds(1), time));

        await strategy.WriteAsync(Int(1), Int(2));

        cache.CompleteFill(cache.Lookup(Int(1)).Flight!, ReadResult.Of(Int(2))).Should().BeTrue();
    }

    private SingleFlightReader Reader() => new(_cache, _database, Log.Silent, CancellationToken.None, TimeProvider.System);

    private ICacheStrategy Create(string kind) => kind == "write-through"
        ? new WriteThroughStrategy(Reader(), _database, LandingFence.None)
        : new CacheAsideStrategy(Reader(), _database, LandingFence.None);
}
