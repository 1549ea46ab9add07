using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Cache;

/// <summary>
/// The read path every strategy shares: serve from the cache; on a miss, at most one fill per key is in
/// flight (from the database, or in a cluster from the key's home) and every other reader of that key
/// waits for it; hot keys are refreshed early in the background.
/// </summary>
internal sealed class SingleFlightReader
{
    // A joiner whose fill lost a race with a write tries again; after this many rounds it reads the
    // database itself rather than queueing behind a key that is being written continuously.
    private const int MaxJoinRounds = 3;

    private readonly CacheStore _cache;
    private readonly IKeyValueDatabase _database;
    private readonly IFillSource _source;
    private readonly IVolumeRenewer? _renewer;
    private readonly Log _log;
    private readonly CancellationToken _lifetime;
    private readonly TimeProvider _time;

    /// <param name="database">What a read that must not wait for a fill reads directly (always safe: the database is linearizable).</param>
    /// <param name="source">Where fills come from; the database itself if null.</param>
    /// <param name="renewer">Renews homes' volume leases (a write-through or cache-aside cluster); null otherwise.</param>
    public SingleFlightReader(CacheStore cache, IKeyValueDatabase database, Log log, CancellationToken lifetime, TimeProvider time, IFillSource? source = null, IVolumeRenewer? renewer = null)
    {
        _renewer = renewer;
        _time = time;
        _cache = cache;
        _database = database;
        _source = source ?? new DatabaseFillSource(database);
        _log = log;
        _lifetime = lifetime;
    }

    public CacheStore Cache => _cache;

    public async ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        (await ReadTrackedAsync(key, ReadOrigin.Client, cancellationToken)).Result;

    /// <summary>
    /// Reads as <see cref="ReadAsync"/> does, and says whether the value is <em>settled</em>: served from the
    /// cache, or read by a fill that was installed, so no write of the key was in progress while it was
    /// read and none began before it was installed. A value read around a write (the database read
    /// directly) is not.
    /// </summary>
    public async ValueTask<TrackedRead> ReadTrackedAsync(RawJson key, ReadOrigin origin, CancellationToken cancellationToken = default)
    {
        var renewed = false;
        for (var round = 0; round < MaxJoinRounds; round++)
        {
            var lookup = _cache.Lookup(key, origin, lapsedIsMiss: renewed);
            switch (lookup.Kind)
            {
                case CacheLookupKind.Hit:
                    if (lookup.Flight is { } refresh)
                    {
                        _ = RefreshInBackgroundAsync(refresh);
                    }

                    if (lookup.RenewHome is { } home)
                    {
                        _ = RenewInBackgroundAsync(home);
                    }

                    return new TrackedRead(lookup.Value, Settled: true);

                case CacheLookupKind.RenewVolume:
                    // The copy may be served again only once the home renewed the volume (and, with it, listed
                    // whatever this node must drop first): renew, then look again, the copy counting as a miss
                    // if the renewal did not cover it. Not a round: it is not a fill lost to a write.
                    await RenewAsync(lookup.RenewHome!, cancellationToken);
                    renewed = true;
                    round--;
                    break;

                case CacheLookupKind.Bypass:
                    return new TrackedRead(await _database.ReadAsync(key, cancellationToken), Settled: false);

                case CacheLookupKind.WaitForWrite:
                    try
                    {
                        await lookup.WritesDone!.WaitAsync(_cache.Options.HoldReadsDuringWrites, _time, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        // A slow write (a home waiting out a lease): do not keep the reader waiting on it.
                        return new TrackedRead(await _database.ReadAsync(key, cancellationToken), Settled: false);
                    }

                    break;

                case CacheLookupKind.LeadFill:
                    // The leader's own database read happened during its request, so it may return the
                    // value even if a concurrent write kept it out of the cache.
                    return await FillAsync(lookup.Flight!, cancellationToken);

                default:
                    var outcome = await lookup.Flight!.Completion.WaitAsync(cancellationToken);
                    if (outcome.Published)
                    {
                        return new TrackedRead(outcome.Result, Settled: true);
                    }

                    // The fill lost a race with a write: its value may predate this reader's request.
                    break;
            }
        }

        return new TrackedRead(await _database.ReadAsync(key, cancellationToken), Settled: false);
    }

    private async ValueTask<TrackedRead> FillAsync(FillFlight flight, CancellationToken cancellationToken)
    {
        SourcedValue sourced;
        try
        {
            sourced = await _source.ReadAsync(flight.Key, flight.StartedAt, cancellationToken);
        }
        catch (Exception ex)
        {
            _cache.FailFill(flight, ex);
            throw;
        }

        var installed = _cache.CompleteFill(flight, sourced.Result, sourced.CacheableUntil, sourced.Coverage);
        return new TrackedRead(sourced.Result, installed);
    }

    private async ValueTask RenewAsync(string home, CancellationToken cancellationToken)
    {
        try
        {
            if (_renewer is { } renewer)
            {
                await renewer.RenewAsync(home, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unrenewed, the copy is a miss: the fill goes to the home (or, unreachable, to the database).
            _log.Debug($"renewing {home}'s volume failed: {ex.Message}");
        }
    }

    private async Task RenewInBackgroundAsync(string home)
    {
        try
        {
            await RenewAsync(home, _lifetime);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task RefreshInBackgroundAsync(FillFlight flight)
    {
        try
        {
            await FillAsync(flight, _lifetime);
        }
        catch (Exception ex)
        {
            // The entry is still being served; the next miss or refresh will try again.
            _log.Debug($"early refresh of {flight.Key} failed: {ex.Message}");
        }
    }
}

/// <summary>A value read, and whether it was settled (see <see cref="SingleFlightReader.ReadTrackedAsync"/>).</summary>
internal readonly record struct TrackedRead(ReadResult Result, bool Settled);
