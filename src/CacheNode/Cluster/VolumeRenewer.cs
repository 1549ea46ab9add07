using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Renews this node's volume leases with homes, one renewal per home at a time: <c>renew {run, acked}</c>,
/// and on <c>renew_ok</c> the listed keys are dropped before the volume is extended (from when the request
/// was sent).
/// </summary>
internal sealed class VolumeRenewer : IVolumeRenewer
{
    private readonly HomeVolumes _volumes;
    private readonly CacheStore _cache;
    private readonly HomeFillSource _fills;
    private readonly RpcClient _rpc;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    /// <param name="fills">Told when a home does not answer, so reads skip it for a while (and asked first).</param>
    public VolumeRenewer(HomeVolumes volumes, CacheStore cache, HomeFillSource fills, RpcClient rpc, TimeSpan timeout, TimeProvider time)
    {
        _fills = fills;
        _volumes = volumes;
        _cache = cache;
        _rpc = rpc;
        _timeout = timeout;
        _time = time;
    }

    public async ValueTask RenewAsync(string home, CancellationToken cancellationToken)
    {
        if (_fills.IsSkipped(home))
        {
            throw new RpcTimeoutException(home, "renew", TimeSpan.Zero);
        }

        Task renewal;
        lock (_inFlight)
        {
            if (!_inFlight.TryGetValue(home, out renewal!))
            {
                renewal = RenewOnceAsync(home);
                _inFlight[home] = renewal;
            }
        }

        await renewal.WaitAsync(cancellationToken);
    }

    // Not cancelled by any one reader: others may be waiting for it; it ends within its timeout.
    private async Task RenewOnceAsync(string home)
    {
        // Never completes before it is registered as the home's renewal in flight (which its end removes).
        await Task.Yield();
        try
        {
            var known = _volumes.Of(home);
            var sentAt = _time.Now();
            RpcReply reply;
            try
            {
                reply = await _rpc.CallAsync(home, new RenewRequest { Run = known.Run, Acked = known.AppliedSeq }, _timeout, CancellationToken.None);
            }
            catch (RpcTimeoutException)
            {
                _fills.Skip(home);
                throw;
            }

            var ok = reply.IsError
                ? throw new InvalidOperationException($"{home} refused renew: {System.Text.Encoding.UTF8.GetString(reply.Body)}")
                : reply.Bind(ProtocolJsonContext.Default.RenewOk);
            _volumes.Apply(home, VolumeGrants.From(ok), sentAt, key => _cache.Invalidate(key));
        }
        finally
        {
            lock (_inFlight)
            {
                _inFlight.Remove(home);
            }
        }
    }
}

/// <summary>Turns the wire form of a volume grant (<c>renew_ok</c>, <c>fill_ok</c>) into a <see cref="VolumeGrant"/>.</summary>
internal static class VolumeGrants
{
    public static VolumeGrant From(VolumeGrantReply reply) =>
        new(reply.Run, [.. (reply.Drops ?? []).Select(d => new DropEntry(d.Seq, d.Key, Timestamp.Never))], reply.Seq, TimeSpan.FromMilliseconds(Math.Max(0, reply.VolumeMs)));
}
