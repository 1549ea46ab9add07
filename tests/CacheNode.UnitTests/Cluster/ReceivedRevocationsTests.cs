using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

/// <summary>A peer's side of a revocation: the key is dropped and held until release or expiry; a release installs only an uncontested value.</summary>
public sealed class ReceivedRevocationsTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();
    private readonly NodeStats _stats = new();
    private readonly CacheStore _cache;
    private readonly ReceivedRevocations _revocations;

    public ReceivedRevocationsTests()
    {
        _cache = new CacheStore(CacheOptions.Default, _time, _stats);
        _revocations = new ReceivedRevocations(_cache, _time, _stats);
    }

    [Fact]
    public void Revocation_drops_the_copy_and_no_fill_installs_until_released()
    {
        Fill(1, 10);

        _revocations.Revoke("n1", 7, Int(1), Ttl);

        _cache.TryPeek(Int(1), out _).Should().BeFalse();
        var fill = _cache.Lookup(Int(1)).Flight!;
        _cache.CompleteFill(fill, ReadResult.Of(Int(11))).Should().BeFalse("the write may land at any moment");

        _revocations.Release("n1", 7, default);
        Fill(1, 11);
        _cache.TryPeek(Int(1), out _).Should().BeTrue();
    }

    [Fact]
    public void Fill_that_started_before_the_revocation_never_installs_even_after_the_release()
    {
        Fill(1, 10);
        _cache.Invalidate(Int(1));
        var fill = _cache.Lookup(Int(1)).Flight!;

        _revocations.Revoke("n1", 7, Int(1), Ttl);
        _revocations.Release("n1", 7, default);

        _cache.CompleteFill(fill, ReadResult.Of(Int(10))).Should().BeFalse();
        _cache.TryPeek(Int(1), out _).Should().BeFalse();
    }

    [Fact]
    public void Release_with_a_value_installs_it()
    {
        _revocations.Revoke("n1", 7, Int(1), Ttl);

        _revocations.Release("n1", 7, Int(11));

        _cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(11));
    }

    [Fact]
    public void Release_of_a_write_that_changed_nothing_brings_back_the_copy()
    {
        Fill(1, 10);
        _revocations.Revoke("n1", 7, Int(1), Ttl);

        _revocations.Release("n1", 7, default, unchanged: true);

        _cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(10));
    }

    [Fact]
    public void Release_with_a_value_installs_nothing_when_another_writer_revoked_the_key_meanwhile()
    {
        _revocations.Revoke("n1", 7, Int(1), Ttl);
        _revocations.Revoke("n2", 9, Int(1), Ttl);

        _revocations.Release("n1", 7, Int(11));
        _revocations.Release("n2", 9, Int(12));

        // Neither writer knows which of the two the database applied last.
        _cache.TryPeek(Int(1), out _).Should().BeFalse();
    }

    [Fact]
    public void Same_id_from_different_writers_are_different_revocations()
    {
        _revocations.Revoke("n1", 7, Int(1), Ttl);
        _revocations.Revoke("n2", 7, Int(2), Ttl);

        _revocations.Release("n1", 7, default);

        _revocations.Count.Should().Be(1);
        var fill = _cache.Lookup(Int(2)).Flight!;
        _cache.CompleteFill(fill, ReadResult.Of(Int(20))).Should().BeFalse("n2's revocation of key 2 still holds");
    }

    [Fact]
    public void Repeated_revoke_is_held_once_and_unknown_release_is_ignored()
    {
        _revocations.Revoke("n1", 7, Int(1), Ttl);
        _revocations.Revoke("n1", 7, Int(1), Ttl);
        _revocations.Release("n1", 8, default);

        _revocations.Count.Should().Be(1);
        _revocations.Release("n1", 7, default);
        _revocations.Count.Should().Be(0);
        Fill(1, 10);
        _cache.TryPeek(Int(1), out _).Should().BeTrue("nothing is left holding the key");
    }

    [Fact]
    public void Revoke_overtaken_by_its_release_holds_nothing()
    {
        _revocations.Release("n1", 7, default);

        _revocations.Revoke("n1", 7, Int(1), Ttl);

        _revocations.Count.Should().Be(0, "that write is over already");
        Fill(1, 10);
        _cache.TryPeek(Int(1), out _).Should().BeTrue();
    }

    [Fact]
    public void Revocation_whose_writer_never_releases_expires_after_its_ttl()
    {
        _revocations.Revoke("n1", 7, Int(1), Ttl);

        _time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        _revocations.ExpireOld().Should().Be(0);
        _time.Advance(TimeSpan.FromMilliseconds(2));
        _revocations.ExpireOld().Should().Be(1);

        Fill(1, 10);
        _cache.TryPeek(Int(1), out _).Should().BeTrue();
    }

    private void Fill(long key, long value)
    {
        var lookup = _cache.Lookup(Int(key));
        if (lookup.Flight is { } flight && lookup.Kind == CacheLookupKind.LeadFill)
        {
            _cache.CompleteFill(flight, ReadResult.Of(Int(value)));
        }
    }
}
