using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Where a write-through or cache-aside node in a cluster fills a miss from. Its own keys come from the
/// database. Any other key comes from the key's home (<c>fill</c>), which reads the database at most once
/// for the whole cluster and grants a key lease: the value may be cached until one lease after the
/// request was sent, on this node's clock, less the drift margin. A home that does not answer is
/// skipped for a while: the database is read directly and nothing is cached.
/// </summary>
internal sealed class HomeFillSource : IFillSource
{
    private readonly ClusterMembership _membership;
    private readonly KeyOwnership _ownership;
    private readonly IKeyValueDatabase _database;
    private readonly RpcClient _rpc;
    private readonly HomeVolumes _volumes;
    private readonly CacheStore _cache;
    private readonly TimeSpan _timeout;
    private readonly LeaseTiming _timing;
    private readonly TimeSpan _keyLease;
    private readonly TickSpan _skipUnreachableFor;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    // Homes that did not answer a fill, and until when they are skipped.
    private readonly Dictionary<string, Timestamp> _unreachableUntil = new(StringComparer.Ordinal);

    /// <param name="timeout">How long to wait for a home's <c>fill_ok</c>.</param>
    /// <param name="keyLease">The longest key lease this node takes (its TTL): a copy is served for that long after its request at most, less the drift margin, while its home's volume lease also covers it.</param>
    public HomeFillSource(ClusterMembership membership, KeyOwnership ownership, IKeyValueDatabase database, RpcClient rpc, LeaseTiming timing, TimeSpan keyLease, HomeVolumes volumes, CacheStore cache, TimeSpan timeout, NodeServices services)
    {
        _volumes = volumes;
        _cache = cache;
        _membership = membership;
        _ownership = ownership;
        _database = database;
        _rpc = rpc;
        _timeout = timeout;
        _time = services.Time;
        _stats = services.Stats;
        _log = services.Log;
        _timing = timing;
        _keyLease = keyLease;
        _skipUnreachableFor = _time.SpanRoundedUp(timing.Lease);
    }

    public async ValueTask<SourcedValue> ReadAsync(RawJson key, Timestamp startedAt, CancellationToken cancellationToken)
    {
        var home = _ownership.OwnerOf(key);
        if (home == _membership.NodeId)
        {
            return SourcedValue.Cacheable(await _database.ReadAsync(key, cancellationToken));
        }

        if (IsSkipped(home))
        {
            _stats.HomeUnreachableRead();
            return SourcedValue.NotCacheable(await _database.ReadAsync(key, cancellationToken));
        }

        try
        {
            _stats.PeerFill();
            var known = _volumes.Of(home);
            var sentAt = _time.Now();
            var reply = await _rpc.CallAsync(home, new FillRequest { Key = key, Run = known.Run, Acked = known.AppliedSeq }, _timeout, cancellationToken);
            if (!reply.IsError)
            {
                var fill = reply.Bind(ProtocolJsonContext.Default.FillOk);
                var result = fill.Value.IsAbsent ? ReadResult.Missing : ReadResult.Of(fill.Value);
                // The home's volume grant first: what it lists is dropped (this key too, if a write began
                // meanwhile, so this fill cannot install) before the volume covers anything more.
                _volumes.Apply(home, VolumeGrants.From(fill), sentAt, dropped => _cache.Invalidate(dropped));
                // The key lease runs from before the request was sent: the home granted it later than that.
                // It is the shorter of the home's (which may run with another TTL) and this node's own.
                var keyLease = TimeSpan.FromMilliseconds(Math.Min(fill.LeaseMs, _keyLease.TotalMilliseconds));
                return fill.Lease && keyLease > TimeSpan.Zero
                    ? new SourcedValue(result, startedAt + _time.SpanRoundedDown(_timing.HeldForLease(keyLease))) { Coverage = new CoverageTag(home, fill.Run) }
                    : SourcedValue.NotCacheable(result);
            }

            _log.Debug($"{home} could not fill {key}: {System.Text.Encoding.UTF8.GetString(reply.Body)}");
        }
        catch (RpcTimeoutException)
        {
            Skip(home);
            _log.Debug($"{home} did not answer a fill of {key} within {_timeout.TotalMilliseconds:0} ms; reading the database directly for a while");
        }
        catch (NodeErrorException ex) when (ex.Code == ErrorCode.Crash)
        {
            // A reply that does not bind (a peer of another version, a harness that mangled it): nothing
            // in it can be trusted, so nothing is applied or cached; the database answers this read.
            _log.Warn($"{home} answered a fill of {key} with a reply that does not bind: {ex.Message}");
        }

        _stats.HomeUnreachableRead();
        return SourcedValue.NotCacheable(await _database.ReadAsync(key, cancellationToken));
    }

    /// <summary>Whether the home is being skipped (it did not answer lately): its keys are read from the database.</summary>
    public bool IsSkipped(string home)
    {
        lock (_unreachableUntil)
        {
            return _unreachableUntil.TryGetValue(home, out var until) && _time.Now() < until;
        }
    }

    /// <summary>The home did not answer: skip it for a while.</summary>
    public void Skip(string home)
    {
        lock (_unreachableUntil)
        {
            _unreachableUntil[home] = _time.Now() + _skipUnreachableFor;
        }
    }
}
