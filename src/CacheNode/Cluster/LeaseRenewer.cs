using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Keeps this node's leases fresh: every <see cref="LeaseTiming.RenewInterval"/> it asks each peer for a
/// new one (the requests run side by side, so one slow peer delays no other), and it ends revocations
/// whose writers never released them.
/// </summary>
internal sealed class LeaseRenewer : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _peers;
    private readonly RpcClient _rpc;
    private readonly HeldLeases _held;
    private readonly ReceivedRevocations _revocations;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly Log _log;
    private readonly BackgroundLoop _loop;

    public LeaseRenewer(IReadOnlyList<string> peers, RpcClient rpc, HeldLeases held, ReceivedRevocations revocations, LeaseTiming timing, TimeProvider time, Log log)
    {
        _peers = peers;
        _rpc = rpc;
        _held = held;
        _revocations = revocations;
        _timing = timing;
        _time = time;
        _log = log;
        _loop = new BackgroundLoop(RunAsync);
    }

    public void Start() => _loop.Start();

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var peer in _peers)
            {
                _ = RenewAsync(peer, cancellationToken);
            }

            var expired = _revocations.ExpireOld();
            if (expired > 0)
            {
                _log.Debug($"{expired} revocations expired without a release");
            }

            await Task.Delay(_timing.RenewInterval, _time, cancellationToken);
        }
    }

    private async Task RenewAsync(string peer, CancellationToken cancellationToken)
    {
        var requestedAt = _time.Now();
        try
        {
            var reply = await _rpc.CallAsync(peer, new LeaseRequest { UptimeMs = (long)_held.Uptime.TotalMilliseconds }, _timing.RenewInterval, cancellationToken);
            if (reply.Type == "lease_ok")
            {
                _held.Granted(peer, requestedAt, reply.Bind(ProtocolJsonContext.Default.LeaseOk).WritesInFlight);
            }
        }
        catch (RpcTimeoutException)
        {
            _log.Debug($"no lease from {peer} this round");
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (NodeErrorException ex)
        {
            // A malformed lease_ok: no lease this round, and a line that says why.
            _log.Warn($"bad lease reply from {peer}: {ex.Message}");
        }
    }
}
