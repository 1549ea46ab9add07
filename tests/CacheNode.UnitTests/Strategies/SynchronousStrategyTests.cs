using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Strategies;
using CacheNode.UnitTests.TestDoubles;
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

    private SingleFlightReader Reader() => new(_cache, _database, Log.Silent, CancellationToken.None, TimeProvider.System);

    private ICacheStrategy Create(string kind) => kind == "write-through"
        ? new WriteThroughStrategy(Reader(), _database, LandingFence.None)
        : new CacheAsideStrategy(Reader(), _database, LandingFence.None);
}
