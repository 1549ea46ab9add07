using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Cache;

/// <summary>
/// The read path every strategy shares: serve from the cache; on a miss, at most one database read per
/// key is in flight and every other reader of that key waits for it; hot keys are refreshed early in the
/// background.
/// </summary>
internal sealed class SingleFlightReader
{
    // A joiner whose fill lost a race with a write tries again; after this many rounds it reads the
    // database itself rather than queueing behind a key that is being written continuously.
    private const int MaxJoinRounds = 3;

    private readonly CacheStore _cache;
    private readonly IKeyValueDatabase _database;
    private readonly Log _log;
    private readonly CancellationToken _lifetime;
    private readonly TimeProvider _time;

    public SingleFlightReader(CacheStore cache, IKeyValueDatabase database, Log log, CancellationToken lifetime, TimeProvider time)
    {
        _time = time;
        _cache = cache;
        _database = database;
        _log = log;
        _lifetime = lifetime;
    }

    public CacheStore Cache => _cache;

    public async ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        for (var round = 0; round < MaxJoinRounds; round++)
        {
            var lookup = _cache.Lookup(key);
            switch (lookup.Kind)
            {
                case CacheLookupKind.Hit:
                    if (lookup.Flight is { } refresh)
                    {
                        _ = RefreshInBackgroundAsync(refresh);
                    }

                    return lookup.Value;

                case CacheLookupKind.Bypass:
                    return await _database.ReadAsync(key, cancellationToken);

                case CacheLookupKind.WaitForWrite:
                    try
                    {
                        await lookup.WritesDone!.WaitAsync(_cache.Options.HoldReadsDuringWrites, _time, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        // A slow write (a peer waiting out a lease): do not keep the reader waiting on it.
                        return await _database.ReadAsync(key, cancellationToken);
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
                        return outcome.Result;
                    }

                    // The fill lost a race with a write: its value may predate this reader's request.
                    break;
            }
        }

        return await _database.ReadAsync(key, cancellationToken);
    }

    private async ValueTask<ReadResult> FillAsync(FillFlight flight, CancellationToken cancellationToken)
    {
        ReadResult result;
        try
        {
            result = await _database.ReadAsync(flight.Key, cancellationToken);
        }
        catch (Exception ex)
        {
            _cache.FailFill(flight, ex);
            throw;
        }

        _cache.CompleteFill(flight, result);
        return result;
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
