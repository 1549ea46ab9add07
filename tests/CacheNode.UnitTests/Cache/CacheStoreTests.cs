using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Threading;
using CacheNode.UnitTests.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cache;

public sealed class CacheStoreTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly NodeStats _stats = new();

    [Fact]
    public void Completed_fill_is_served_as_a_hit()
    {
        var cache = NewCache();
        var lookup = cache.Lookup(Int(1));
        lookup.Kind.Should().Be(CacheLookupKind.LeadFill);

        cache.CompleteFill(lookup.Flight!, ReadResult.Of(Int(10))).Should().BeTrue();

        var again = cache.Lookup(Int(1));
        again.Kind.Should().Be(CacheLookupKind.Hit);
        again.Value.Should().Be(ReadResult.Of(Int(10)));
        _stats.Hits.Should().Be(1);
        _stats.Misses.Should().Be(1);
    }

    [Fact]
    public void Lookups_for_a_peers_fill_are_counted_as_fills_served_not_as_this_nodes_hits_and_misses()
    {
        var cache = NewCache();
        var lead = cache.Lookup(Int(1), ReadOrigin.PeerFill);
        cache.CompleteFill(lead.Flight!, ReadResult.Of(Int(10))).Should().BeTrue();
        cache.Lookup(Int(1), ReadOrigin.PeerFill).Kind.Should().Be(CacheLookupKind.Hit);

        _stats.FillsServed.Should().Be(2);
        _stats.FillsServedFromCache.Should().Be(1);
        _stats.Hits.Should().Be(0, "the hit ratio is the clients' of this node");
        _stats.Misses.Should().Be(0);

        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.Hit);
        _stats.Hits.Should().Be(1);
    }

    [Fact]
    public void Second_miss_during_a_fill_joins_it_instead_of_starting_another()
    {
        var cache = NewCache();
        var leader = cache.Lookup(Int(1));
        var joiner = cache.Lookup(Int(1));

        joiner.Kind.Should().Be(CacheLookupKind.JoinFill);
        joiner.Flight.Should().BeSameAs(leader.Flight);
        _stats.Fills.Should().Be(1);
        _stats.CoalescedWaits.Should().Be(1);
    }

    [Fact]
    public async Task Fill_that_read_before_an_invalidation_is_not_installed_after_it()
    {
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;

        // The invalidation overtakes the fill's reply.
        cache.Invalidate(Int(1));
        var installed = cache.CompleteFill(fill, ReadResult.Of(Int(10)));

        installed.Should().BeFalse();
        cache.TryPeek(Int(1), out _).Should().BeFalse();
        _stats.RejectedStaleFills.Should().Be(1);
        (await fill.Completion).Published.Should().BeFalse();
    }

    [Fact]
    public void Fill_racing_a_write_cannot_overwrite_the_written_value()
    {
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;
        var write = cache.BeginWrite(Int(1));

        cache.CompleteFill(fill, ReadResult.Of(Int(10))).Should().BeFalse();
        cache.EndWrite(write, WriteCompletion.Install, Int(20)).Should().BeTrue();

        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(20));
    }

    [Fact]
    public void Fill_that_finishes_after_a_write_ends_is_rejected()
    {
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;
        var write = cache.BeginWrite(Int(1));
        cache.EndWrite(write, WriteCompletion.Install, Int(20));

        cache.CompleteFill(fill, ReadResult.Of(Int(10))).Should().BeFalse();

        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(20));
    }

    [Fact]
    public void Fill_that_starts_while_a_write_is_in_progress_is_not_installed()
    {
        // The write may land after the fill's read (under write-behind, it lands at flush time): what
        // the fill read is already old by the time the write ends.
        var cache = NewCache();
        var write = cache.BeginWrite(Int(1));
        var fill = cache.Lookup(Int(1)).Flight!;

        cache.CompleteFill(fill, ReadResult.Of(Int(0))).Should().BeFalse();
        cache.TryPeek(Int(1), out _).Should().BeFalse();
        cache.EndWrite(write, WriteCompletion.Invalidate);
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Overlapping_writes_leave_no_value_cached_whichever_ends_first(bool firstEndsFirst)
    {
        var cache = NewCache();
        var first = cache.BeginWrite(Int(1));
        var second = cache.BeginWrite(Int(1));

        var (a, b) = firstEndsFirst ? (first, second) : (second, first);
        cache.EndWrite(a, WriteCompletion.Install, Int(a == first ? 1 : 2)).Should().BeFalse();
        cache.EndWrite(b, WriteCompletion.Install, Int(b == first ? 1 : 2)).Should().BeFalse();

        cache.TryPeek(Int(1), out _).Should().BeFalse("the database may hold either value");
    }

    [Fact]
    public void Cache_aside_write_drops_the_cached_copy()
    {
        var cache = NewCache();
        Fill(cache, 1, 10);
        var write = cache.BeginWrite(Int(1));
        cache.EndWrite(write, WriteCompletion.Invalidate);

        cache.TryPeek(Int(1), out _).Should().BeFalse();
    }

    [Fact]
    public void Failed_cas_brings_back_the_entry_it_set_aside()
    {
        var cache = NewCache();
        Fill(cache, 1, 10);
        var cas = cache.BeginWrite(Int(1));
        cache.TryPeek(Int(1), out _).Should().BeFalse("while the cas runs it may succeed");

        cache.EndWrite(cas, WriteCompletion.Unchanged, Int(99)).Should().BeFalse();

        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(10));
    }

    [Fact]
    public void Failed_cas_brings_nothing_back_if_anything_else_touched_the_key_meanwhile()
    {
        var cache = NewCache();
        Fill(cache, 1, 10);
        Fill(cache, 2, 20);
        var invalidated = cache.BeginWrite(Int(1));
        cache.Invalidate(Int(1));
        var overlapped = cache.BeginWrite(Int(2));
        var other = cache.BeginWrite(Int(2));
        cache.EndWrite(other, WriteCompletion.Invalidate);

        cache.EndWrite(invalidated, WriteCompletion.Unchanged);
        cache.EndWrite(overlapped, WriteCompletion.Unchanged);

        cache.TryPeek(Int(1), out _).Should().BeFalse();
        cache.TryPeek(Int(2), out _).Should().BeFalse();
    }

    [Fact]
    public void Entry_expires_after_its_ttl()
    {
        var cache = NewCache(CacheOptions.Default with { Ttl = TimeSpan.FromSeconds(10), TtlJitter = 0 });
        Fill(cache, 1, 10);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.Hit);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    [Fact]
    public void Ttl_jitter_spreads_expiry_of_entries_filled_together()
    {
        var cache = NewCache(CacheOptions.Default with { Ttl = TimeSpan.FromSeconds(10), TtlJitter = 0.5, EarlyRefreshBeta = 0 });
        for (var key = 0; key < 200; key++)
        {
            Fill(cache, key, key);
        }

        // Jitter only shortens TTLs (by up to half here): all alive just before 5 s, all gone at 10 s,
        // and in between some have expired and some have not.
        _time.Advance(TimeSpan.FromSeconds(7.5));
        var alive = Enumerable.Range(0, 200).Count(key => cache.TryPeek(Int(key), out _));
        alive.Should().BeInRange(20, 180);
        _time.Advance(TimeSpan.FromSeconds(2.6));
        Enumerable.Range(0, 200).Count(key => cache.TryPeek(Int(key), out _)).Should().Be(0);
    }

    [Fact]
    public void Nothing_is_served_or_installed_during_the_startup_fence()
    {
        // A write the node's earlier run sent before a crash may still land within the fence.
        var cache = NewCache(CacheOptions.Default with { StartupFence = TimeSpan.FromSeconds(1) });

        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.Bypass);
        _stats.BypassReads.Should().Be(1);
        var write = cache.BeginWrite(Int(2));
        cache.EndWrite(write, WriteCompletion.Install, Int(20)).Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));
        cache.IsServing.Should().BeTrue();
        Fill(cache, 1, 10);
        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(10));
    }

    [Fact]
    public void A_fill_under_a_key_lease_is_served_until_the_lease_runs_out_even_if_its_ttl_is_longer()
    {
        var cache = NewCache(CacheOptions.Default with { TtlJitter = 0 });
        var fill = cache.Lookup(Int(1)).Flight!;
        var leaseEnds = _time.Now() + Ticks(TimeSpan.FromMilliseconds(500));

        cache.CompleteFill(fill, ReadResult.Of(Int(10)), cacheableUntil: leaseEnds).Should().BeTrue();

        _time.Advance(TimeSpan.FromMilliseconds(499));
        cache.TryPeek(Int(1), out _).Should().BeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        cache.TryPeek(Int(1), out _).Should().BeFalse("the home may write the key without asking this node once the lease is over");
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    [Fact]
    public void A_hit_in_the_second_half_of_a_key_lease_renews_it_in_the_background()
    {
        var cache = NewCache(CacheOptions.Default with { TtlJitter = 0, EarlyRefreshBeta = 0 });
        var fill = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(fill, ReadResult.Of(Int(10)), cacheableUntil: _time.Now() + Ticks(TimeSpan.FromMilliseconds(500)));

        _time.Advance(TimeSpan.FromMilliseconds(249));
        cache.Lookup(Int(1)).Flight.Should().BeNull("the lease has most of its time left");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var hit = cache.Lookup(Int(1));
        hit.Kind.Should().Be(CacheLookupKind.Hit);
        var renewal = hit.Flight;
        renewal.Should().NotBeNull("a key still being read is renewed before its lease runs out");
        cache.Lookup(Int(1)).Flight.Should().BeNull("one renewal at a time");

        cache.CompleteFill(renewal!, ReadResult.Of(Int(10)), cacheableUntil: _time.Now() + Ticks(TimeSpan.FromMilliseconds(500))).Should().BeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        cache.TryPeek(Int(1), out _).Should().BeTrue("the renewed lease runs 500 ms from the renewal");
        _stats.EarlyRefreshes.Should().Be(1);
    }

    [Fact]
    public async Task A_fill_whose_volume_ran_out_before_it_completed_installs_nothing_and_its_joiners_look_again()
    {
        var coverage = new FakeCoverage();
        var cache = new CacheStore(CacheOptions.Default, _time, _stats, coverage);
        var fill = cache.Lookup(Int(1)).Flight!;
        var joined = cache.Lookup(Int(1)).Flight!;
        var tag = new CoverageTag("n2", 7);

        coverage.State = CoverageState.Lapsed; // handled late: the home may have written the key since
        cache.CompleteFill(fill, ReadResult.Of(Int(10)), Timestamp.Never, tag).Should().BeFalse();
        (await joined.Completion).Published.Should().BeFalse();
        cache.TryPeek(Int(1), out _).Should().BeFalse();

        coverage.State = CoverageState.Covered;
        var again = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(again, ReadResult.Of(Int(11)), Timestamp.Never, tag).Should().BeTrue();
    }

    [Fact]
    public void A_copy_limited_only_by_its_ttl_is_not_renewed_halfway()
    {
        var cache = NewCache(CacheOptions.Default with { Ttl = TimeSpan.FromSeconds(1), TtlJitter = 0, EarlyRefreshBeta = 0 });
        Fill(cache, 1, 10);

        _time.Advance(TimeSpan.FromMilliseconds(900));

        cache.Lookup(Int(1)).Flight.Should().BeNull("without a key lease only XFetch refreshes early, and it is off here");
    }

    [Fact]
    public void A_revoke_detaches_the_fill_in_flight_so_the_next_reader_leads_a_fresh_one()
    {
        var cache = NewCache();
        var old = cache.Lookup(Int(1)).Flight!;
        cache.Invalidate(Int(1));

        var next = cache.Lookup(Int(1));
        next.Kind.Should().Be(CacheLookupKind.LeadFill, "joining the revoked fill would only be turned away when it completes");
        cache.CompleteFill(old, ReadResult.Of(Int(10))).Should().BeFalse();

        cache.CompleteFill(next.Flight!, ReadResult.Of(Int(11))).Should().BeTrue("the revoked fill's completion must not take the new fill's place");
        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(11));
    }

    [Fact]
    public async Task A_fill_without_a_lease_or_whose_lease_ran_out_on_the_way_installs_nothing_and_its_joiners_read_again()
    {
        var cache = NewCache();
        var unleased = cache.Lookup(Int(1)).Flight!;
        var joined = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(unleased, ReadResult.Of(Int(10)), cacheableUntil: Timestamp.LongAgo).Should().BeFalse();
        (await joined.Completion).Published.Should().BeFalse("a joiner may have arrived after the value was read");
        cache.TryPeek(Int(1), out _).Should().BeFalse();

        var late = cache.Lookup(Int(2)).Flight!;
        var leaseEnds = _time.Now() + Ticks(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        cache.CompleteFill(late, ReadResult.Of(Int(20)), cacheableUntil: leaseEnds).Should().BeFalse();
        cache.TryPeek(Int(2), out _).Should().BeFalse();
    }

    [Fact]
    public void A_revoke_that_arrives_before_the_fill_reply_keeps_the_reply_out_of_the_cache()
    {
        // The home replied with the old value, then revoked this node for a write; the revoke came first.
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;

        cache.Invalidate(Int(1));

        cache.CompleteFill(fill, ReadResult.Of(Int(10))).Should().BeFalse();
        cache.TryPeek(Int(1), out _).Should().BeFalse();
    }

    [Fact]
    public void A_write_drops_the_cached_copy_as_it_begins()
    {
        var cache = NewCache();
        Fill(cache, 1, 10);

        var ticket = cache.BeginWrite(Int(1));

        // Once the database has the new value another node may read it: the old one must be gone already.
        cache.TryPeek(Int(1), out _).Should().BeFalse();
        cache.EndWrite(ticket, WriteCompletion.Install, Int(11)).Should().BeTrue();
        cache.TryPeek(Int(1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(11));
    }

    [Fact]
    public void Missing_key_is_cached_as_missing_and_invalidated_like_any_entry()
    {
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(fill, ReadResult.Missing);

        var hit = cache.Lookup(Int(1));
        hit.Kind.Should().Be(CacheLookupKind.Hit);
        hit.Value.Found.Should().BeFalse();
        _stats.NegativeHits.Should().Be(1);

        cache.Invalidate(Int(1)).Should().BeTrue();
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    [Fact]
    public void Negative_caching_can_be_turned_off()
    {
        var cache = NewCache(CacheOptions.Default with { NegativeTtl = TimeSpan.Zero });
        var fill = cache.Lookup(Int(1)).Flight!;
        cache.CompleteFill(fill, ReadResult.Missing);

        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    [Fact]
    public void Cache_never_holds_more_than_max_entries()
    {
        var cache = NewCache(CacheOptions.Default with { MaxEntries = 50 });
        for (var key = 0; key < 500; key++)
        {
            Fill(cache, key, key);
        }

        cache.Count.Should().Be(50);
        _stats.Evictions.Should().Be(450);
    }

    [Fact]
    public void Eviction_keeps_a_hot_key_through_a_scan_of_cold_keys()
    {
        var cache = NewCache(CacheOptions.Default with { MaxEntries = 100 });
        Fill(cache, -1, 42);
        for (var key = 0; key < 10_000; key++)
        {
            // The hot key is read between every few cold inserts, as a hot key is.
            if (key % 10 == 0)
            {
                cache.Lookup(Int(-1)).Kind.Should().Be(CacheLookupKind.Hit, $"the hot key was evicted by cold key {key}");
            }

            Fill(cache, key, key);
        }

        cache.TryPeek(Int(-1), out var value).Should().BeTrue();
        value.Value.Should().Be(Int(42));
    }

    [Fact]
    public void Early_refresh_starts_in_the_background_as_expiry_nears_and_the_hit_is_still_served()
    {
        var cache = NewCache(CacheOptions.Default with { Ttl = TimeSpan.FromSeconds(30), TtlJitter = 0, EarlyRefreshBeta = 1 });
        var fill = cache.Lookup(Int(1)).Flight!;
        // A slow fill (2 s) is XFetch's delta: refreshes start about that far ahead of expiry.
        _time.Advance(TimeSpan.FromSeconds(2));
        cache.CompleteFill(fill, ReadResult.Of(Int(10)));

        // 26 s before expiry the chance per read is e^-13: none of 50 reads refreshes.
        _time.Advance(TimeSpan.FromSeconds(2));
        Enumerable.Range(0, 50).Count(_ => HitStartsRefresh(cache)).Should().Be(0);

        // 0.1 s before expiry the chance per read is 95%: a hit comes with a refresh, and only one
        // refresh is in flight however many readers hit.
        _time.Advance(TimeSpan.FromSeconds(25.9));
        var lookups = Enumerable.Range(0, 50).Select(_ => cache.Lookup(Int(1))).ToList();
        lookups.Should().OnlyContain(l => l.Kind == CacheLookupKind.Hit);
        lookups.Count(l => l.Flight is not null).Should().Be(1);
        _stats.EarlyRefreshes.Should().Be(1);
    }

    [Fact]
    public void Failed_fill_caches_nothing_and_the_next_reader_leads_a_new_fill()
    {
        var cache = NewCache();
        var fill = cache.Lookup(Int(1)).Flight!;
        cache.FailFill(fill, new InvalidOperationException("database down"));

        fill.Completion.IsFaulted.Should().BeTrue();
        cache.Lookup(Int(1)).Kind.Should().Be(CacheLookupKind.LeadFill);
    }

    private static bool HitStartsRefresh(CacheStore cache)
    {
        var lookup = cache.Lookup(Int(1));
        if (lookup.Flight is { } refresh)
        {
            // Fail it so the entry stays exactly as it was for the next draw.
            cache.FailFill(refresh, new InvalidOperationException("not needed"));
            return true;
        }

        return false;
    }

    private sealed class FakeCoverage : ICopyCoverage
    {
        public CoverageState State { get; set; } = CoverageState.Covered;

        public CoverageState Check(CoverageTag tag, Timestamp now) => State;
    }

    private CacheStore NewCache(CacheOptions? options = null) => new(options ?? CacheOptions.Default, _time, _stats);

    private static void Fill(CacheStore cache, long key, long value)
    {
        var lookup = cache.Lookup(Int(key));
        if (lookup.Kind == CacheLookupKind.LeadFill)
        {
            cache.CompleteFill(lookup.Flight!, ReadResult.Of(Int(value)));
        }
    }

    private TickSpan Ticks(TimeSpan span) => new((long)(span.TotalSeconds * _time.TimestampFrequency));
}
