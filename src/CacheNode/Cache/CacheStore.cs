using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>
/// The bounded local cache. One table of <see cref="KeySlot"/>s holds entries, per-key epochs and
/// in-flight fills, under one short lock that is never held across an await.
/// </summary>
/// <remarks>
/// The stale-set race (a fill reads the database, a write lands and invalidates, then the fill installs
/// the old value) is closed with epochs, as memcache leases do: a fill remembers the key's epoch when it
/// starts and installs only if it has not moved and no write to the key is in progress. Writes move the
/// epoch when they start and when they end,
/// and install their own value only if no other write overlapped them, so two overlapping writes never
/// leave the loser's value cached whatever order the database applied them in.
/// </remarks>
internal sealed class CacheStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, KeySlot> _slots = [];
    private readonly SieveQueue _sieve = new();
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly ICopyCoverage? _coverage;
    private long _lastEpoch;
    // Nothing is served or installed before this moment (the startup fence).
    private readonly Timestamp _servableFrom;

    /// <param name="coverage">The cluster's volume leases, which copies filled from a home also need; null on its own.</param>
    public CacheStore(CacheOptions options, TimeProvider time, NodeStats stats, ICopyCoverage? coverage = null)
    {
        _coverage = coverage;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEntries, 1);
        _options = options;
        _time = time;
        _stats = stats;
        _servableFrom = time.Now() + time.SpanRoundedUp(options.StartupFence);
    }

    public CacheOptions Options => _options;

    /// <summary>Cached entries (values and "missing" markers).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sieve.Count;
            }
        }
    }

    /// <summary>
    /// Serves a key from the cache, or says which fill to lead or join. A hit may come with an early
    /// refresh (XFetch) for the caller to run in the background; the hit is served either way.
    /// </summary>
    /// <param name="lapsedIsMiss">A copy whose volume lapsed is a miss (its renewal was just tried), not a renewal to make.</param>
    public CacheLookup Lookup(RawJson key, ReadOrigin origin = ReadOrigin.Client, bool lapsedIsMiss = false)
    {
        var now = _time.Now();
        lock (_gate)
        {
            if (!IsServableAt(now))
            {
                _stats.BypassRead();
                return CacheLookup.Bypass();
            }

            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new KeySlot(NextEpoch());
                _slots.Add(key, slot);
            }

            string? renewHome = null;
            if (slot.Entry is { Coverage: { } tag } covered && _coverage is { } coverage && now < covered.ValidUntil)
            {
                switch (coverage.Check(tag, now))
                {
                    case CoverageState.Lapsed when !lapsedIsMiss:
                        return CacheLookup.RenewVolume(tag.Home);
                    case CoverageState.Lapsed or CoverageState.Gone:
                        RemoveEntry(slot);
                        break;
                    case CoverageState.CoveredRenewDue:
                        renewHome = tag.Home;
                        break;
                }
            }

            if (slot.Entry is { } entry)
            {
                if (now < entry.ValidUntil)
                {
                    entry.Visited = true;
                    CountLookup(origin, hit: true, negative: !entry.Value.Found);
                    FillFlight? refresh = null;
                    if (slot.Fill is null && ShouldRefreshEarly(entry, now))
                    {
                        refresh = slot.Fill = new FillFlight(key, slot.Epoch, now, isRefresh: true);
                        _stats.EarlyRefresh();
                    }

                    return CacheLookup.Hit(entry.Value, refresh) with { RenewHome = renewHome };
                }

                // Expired: it will not be served again, so free its place now.
                RemoveEntry(slot);
            }

            CountLookup(origin, hit: false, negative: false);
            if (slot.PendingWrites > 0 && slot.Fill is null && _options.HoldReadsDuringWrites > TimeSpan.Zero)
            {
                _stats.CoalescedWait();
                slot.WritesDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return CacheLookup.WaitForWrite(slot.WritesDone.Task);
            }

            if (slot.Fill is { } inFlight)
            {
                _stats.CoalescedWait();
                return CacheLookup.Join(inFlight);
            }

            _stats.Fill();
            slot.Fill = new FillFlight(key, slot.Epoch, now, isRefresh: false);
            return CacheLookup.Lead(slot.Fill);
        }
    }

    /// <summary>Finishes a fill whose value may be cached for the whole time to live (see the overload).</summary>
    public bool CompleteFill(FillFlight flight, ReadResult result) => CompleteFill(flight, result, Timestamp.Never);

    /// <summary>Finishes a fill: installs the result if the key's epoch has not moved, then releases its waiters.</summary>
    /// <param name="cacheableUntil">Until when the result may be served (a key lease from the key's home), on top of the time to live; <see cref="Timestamp.Never"/> for no limit.</param>
    /// <returns>Whether the value was installed.</returns>
    public bool CompleteFill(FillFlight flight, ReadResult result, Timestamp cacheableUntil, CoverageTag? coverage = null)
    {
        bool installed;
        lock (_gate)
        {
            // Read under the lock: readers that join the flight from now on get what it publishes, so the
            // volume must cover it at a moment no earlier than theirs (review of the volume-lease branch).
            var now = _time.Now();
            // A revoke may have detached this fill (and a new one taken its place, or the slot gone):
            // its epoch is then out of date, so it cannot install.
            var slot = DetachFill(flight);
            // A write still in progress may land after the database answered this fill (under
            // write-behind, until its flush): its end decides what is cached, not the fill.
            var current = slot is not null && slot.Epoch == flight.Epoch && slot.PendingWrites == 0 && IsServableAt(now);
            // A copy a home's volume must cover is installed (and handed to the readers that joined) only if
            // it is covered now: a reply handled late (a pause, a slow home) may come after the volume it
            // was granted under ran out and the home wrote the key.
            var covered = coverage is not { } tag || _coverage is not { } volumes
                || volumes.Check(tag, now) is CoverageState.Covered or CoverageState.CoveredRenewDue;
            installed = current && covered && now < cacheableUntil;
            if (installed)
            {
                Install(slot!, flight.Key, result, flight.StartedAt, now - flight.StartedAt, cacheableUntil, coverage);
            }
            else
            {
                if (!current)
                {
                    _stats.RejectedStaleFill();
                }

                if (slot is not null)
                {
                    ForgetIfIdle(flight.Key, slot);
                }
            }
        }

        flight.Complete(new FillOutcome(result, installed));
        return installed;
    }

    /// <summary>A failed fill caches nothing and fails every waiter; the next reader starts a new fill.</summary>
    public void FailFill(FillFlight flight, Exception error)
    {
        lock (_gate)
        {
            if (DetachFill(flight) is { } slot)
            {
                ForgetIfIdle(flight.Key, slot);
            }
        }

        flight.Fail(error);
    }

    /// <summary>Marks the start of a write: the cached copy goes, and fills already in flight can no longer install.</summary>
    /// <remarks>
    /// The copy goes now, not when the write ends: once the database has the new value another node may
    /// read it, and from then on no node may serve the old one.
    /// </remarks>
    public WriteTicket BeginWrite(RawJson key)
    {
        var now = _time.Now();
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new KeySlot(0);
                _slots.Add(key, slot);
            }
            else if (slot.Entry is { } entry)
            {
                RemoveEntry(slot);
                // Kept aside in case the write changes nothing (a failed cas): it can come back then.
                slot.SetAside = slot.PendingWrites == 0 ? entry : null;
            }
            else
            {
                slot.SetAside = null;
            }

            // A write that overlaps another cannot know which of them the database applied last.
            var contended = slot.PendingWrites > 0;
            slot.Epoch = NextEpoch();
            slot.PendingWrites++;
            return new WriteTicket(key, slot.Epoch, now, contended);
        }
    }

    /// <summary>Marks the end of a write and leaves the cached copy as <paramref name="completion"/> says.</summary>
    /// <returns>Whether <paramref name="value"/> was installed.</returns>
    public bool EndWrite(WriteTicket ticket, WriteCompletion completion, RawJson value = default)
    {
        var now = _time.Now();
        lock (_gate)
        {
            var slot = _slots[ticket.Key];
            slot.PendingWrites--;
            if (slot.PendingWrites == 0 && slot.WritesDone is { } writesDone)
            {
                // Continuations run asynchronously, so the waiters look again only after this lock is released.
                slot.WritesDone = null;
                writesDone.TrySetResult();
            }

            // Installing is safe only if no other write overlapped this one at either end and nothing
            // invalidated the key meanwhile; otherwise the entry goes and the next read fills afresh.
            var uncontended = !ticket.Contended && slot.Epoch == ticket.Epoch;
            var setAside = slot.SetAside;
            slot.SetAside = null;
            if (completion == WriteCompletion.Unchanged)
            {
                // Every change to the key, from any node, moves its epoch here first; so with the epoch
                // unchanged the database still holds what the set-aside entry says.
                if (uncontended && setAside is not null && now < setAside.ValidUntil && IsServableAt(now) && slot.Entry is null)
                {
                    if (_sieve.Count >= _options.MaxEntries)
                    {
                        EvictOne();
                    }

                    setAside.Visited = false;
                    slot.Entry = setAside;
                    _sieve.Add(setAside);
                }

                ForgetIfIdle(ticket.Key, slot);
                return false;
            }

            slot.Epoch = NextEpoch();
            if (completion == WriteCompletion.Install && uncontended && IsServableAt(now))
            {
                Install(slot, ticket.Key, ReadResult.Of(value), ticket.StartedAt, now - ticket.StartedAt, Timestamp.Never);
                return true;
            }

            if (slot.Entry is not null)
            {
                RemoveEntry(slot);
            }

            ForgetIfIdle(ticket.Key, slot);
            return false;
        }
    }

    /// <summary>Drops the key's entry and stops any in-flight fill from installing (a <c>revoke</c> from the key's home).</summary>
    /// <returns>Whether an entry was dropped.</returns>
    public bool Invalidate(RawJson key)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                // No entry, no fill, no write: nothing could install an old value later.
                return false;
            }

            RevokeSlot(slot);
            var removed = slot.Entry is not null;
            if (removed)
            {
                RemoveEntry(slot);
            }

            ForgetIfIdle(key, slot);
            return removed;
        }
    }

    /// <summary>
    /// Drops every key <paramref name="match"/> selects, entries and in-flight fills alike (a home that
    /// restarted revokes everything it may have granted).
    /// </summary>
    /// <returns>How many entries were dropped.</returns>
    public int InvalidateWhere(Func<RawJson, bool> match)
    {
        var dropped = 0;
        lock (_gate)
        {
            foreach (var (key, slot) in _slots.ToList())
            {
                if (!match(key))
                {
                    continue;
                }

                RevokeSlot(slot);
                if (slot.Entry is not null)
                {
                    RemoveEntry(slot);
                    dropped++;
                }

                ForgetIfIdle(key, slot);
            }
        }

        return dropped;
    }

    /// <summary>Whether entries may be served and installed now (not during the startup fence).</summary>
    public bool IsServing => IsServableAt(_time.Now());

    /// <summary>Whether the key has an entry that would be served now (for tests and diagnostics).</summary>
    public bool TryPeek(RawJson key, out ReadResult value)
    {
        var now = _time.Now();
        lock (_gate)
        {
            if (IsServableAt(now) && _slots.TryGetValue(key, out var slot) && slot.Entry is { } entry && now < entry.ValidUntil)
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private void Install(KeySlot slot, RawJson key, ReadResult value, Timestamp filledAt, TickSpan fillDuration, Timestamp cacheableUntil, CoverageTag? coverage = null)
    {
        var lifetime = value.Found ? _options.Ttl : _options.NegativeTtl;
        if (lifetime <= TimeSpan.Zero)
        {
            // Negative caching is off: nothing to keep, but an older entry must not survive either.
            if (slot.Entry is not null)
            {
                RemoveEntry(slot);
            }

            ForgetIfIdle(key, slot);
            return;
        }

        var jittered = lifetime * (1 - (_options.TtlJitter * Random.Shared.NextDouble()));
        // Rounded down: the entry errs towards a shorter life.
        var expires = filledAt + _time.SpanRoundedDown(jittered);
        var validUntil = Timestamp.Min(expires, cacheableUntil);
        // Under a key lease shorter than the TTL, a hit in the lease's second half renews it.
        var renewFrom = cacheableUntil < expires ? filledAt + new TickSpan((validUntil - filledAt).Ticks / 2) : Timestamp.Never;

        if (slot.Entry is not null)
        {
            RemoveEntry(slot);
        }
        else if (_sieve.Count >= _options.MaxEntries)
        {
            EvictOne();
        }

        slot.Entry = new CacheEntry(key, value, filledAt, validUntil, TickSpan.Max(TickSpan.Zero, fillDuration), renewFrom, coverage);
        _sieve.Add(slot.Entry);
    }

    // A revoked key: no fill in flight may install, and the next reader must not join one (it would only
    // be turned away when it completes, and read again): the fill is detached, to finish on its own.
    private void RevokeSlot(KeySlot slot)
    {
        slot.Epoch = NextEpoch();
        slot.SetAside = null;
        slot.Fill = null;
    }

    // The slot the flight is still the fill of, which it leaves; null if a revoke detached it.
    private KeySlot? DetachFill(FillFlight flight)
    {
        if (!_slots.TryGetValue(flight.Key, out var slot) || !ReferenceEquals(slot.Fill, flight))
        {
            return null;
        }

        slot.Fill = null;
        return slot;
    }

    private void EvictOne()
    {
        if (_sieve.SelectVictim() is not { } victim)
        {
            return;
        }

        var slot = _slots[victim.Key];
        RemoveEntry(slot);
        ForgetIfIdle(victim.Key, slot);
        _stats.Eviction();
    }

    private void RemoveEntry(KeySlot slot)
    {
        _sieve.Remove(slot.Entry!);
        slot.Entry = null;
    }

    private void ForgetIfIdle(RawJson key, KeySlot slot)
    {
        if (slot.IsIdle)
        {
            _slots.Remove(key);
        }
    }

    // A copy under a key lease renews from the lease's second half on (a lease is short, so waiting for
    // it to run out would make every key a node keeps reading miss once per lease). Otherwise XFetch
    // (Vattani et al., VLDB '15): refresh early with a probability that rises as expiry nears and with
    // how long a fill takes, so exactly one reader of a hot key recomputes it ahead of time.
    private bool ShouldRefreshEarly(CacheEntry entry, Timestamp now)
    {
        if (now >= entry.RenewFrom)
        {
            return true;
        }

        if (_options.EarlyRefreshBeta <= 0 || entry.FillDuration <= TickSpan.Zero)
        {
            return false;
        }

        // In ticks, as a double: the gap is a random real, not a span rounded either way.
        var gap = -entry.FillDuration.Ticks * _options.EarlyRefreshBeta * Math.Log(1 - Random.Shared.NextDouble());
        return now.Ticks + gap >= entry.ValidUntil.Ticks;
    }

    private void CountLookup(ReadOrigin origin, bool hit, bool negative)
    {
        if (origin == ReadOrigin.PeerFill)
        {
            _stats.FillServed(fromCache: hit);
        }
        else if (hit)
        {
            _stats.Hit(negative);
        }
        else
        {
            _stats.Miss();
        }
    }

    private bool IsServableAt(Timestamp now) => now >= _servableFrom;

    private long NextEpoch() => ++_lastEpoch;
}
