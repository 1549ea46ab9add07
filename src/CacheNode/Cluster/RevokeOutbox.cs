using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Revocations on their way to one peer. Everything queued while the previous <c>revoke</c> was being
/// sent leaves together in the next one, so under write load the message count grows with batches, not
/// with writes.
/// </summary>
internal sealed class RevokeOutbox : IAsyncDisposable
{
    private readonly string _peer;
    private readonly RpcClient _rpc;
    private readonly TimeSpan _timeout;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly Lock _gate = new();
    private readonly AsyncSignal _wake = new();
    private readonly BackgroundLoop _pump;
    private List<PendingRevoke> _queued = [];
    private bool _disposed;

    /// <param name="timeout">How long to wait for <c>revoke_ok</c> (<c>peer_timeout_ms</c>).</param>
    public RevokeOutbox(string peer, RpcClient rpc, TimeSpan timeout, NodeServices services)
    {
        _peer = peer;
        _rpc = rpc;
        _timeout = timeout;
        _stats = services.Stats;
        _log = services.Log;
        _pump = new BackgroundLoop(PumpAsync).Start();
    }

    public string Peer => _peer;

    /// <summary>Queues a revocation; the task says whether the peer acknowledged it (false on error or timeout).</summary>
    public Task<bool> Revoke(RawJson key)
    {
        var pending = new PendingRevoke(key);
        lock (_gate)
        {
            if (_disposed)
            {
                // Shutting down: nobody will acknowledge.
                return Task.FromResult(false);
            }

            _queued.Add(pending);
        }

        _wake.Set();
        return pending.Acked.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _pump.DisposeAsync();

        // Whoever still waits for an ack will not get one.
        lock (_gate)
        {
            _disposed = true;
            foreach (var pending in _queued)
            {
                pending.Acked.TrySetResult(false);
            }

            _queued.Clear();
        }

        _wake.Dispose();
    }

    private async Task PumpAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await _wake.WaitAsync(token);
            List<PendingRevoke> batch;
            lock (_gate)
            {
                (batch, _queued) = (_queued, []);
            }

            if (batch.Count > 0)
            {
                _ = SendAsync(batch, token);
            }
        }
    }

    private async Task SendAsync(List<PendingRevoke> batch, CancellationToken token)
    {
        var acked = false;
        try
        {
            _stats.PeerMessage();
            var reply = await _rpc.CallAsync(_peer, new RevokeRequest { Keys = batch.Select(r => r.Key).Distinct().ToArray() }, _timeout, token);
            acked = reply.Type == "revoke_ok";
            if (!acked)
            {
                _log.Debug($"{_peer} refused a revocation: {System.Text.Encoding.UTF8.GetString(reply.Body)}");
            }
        }
        catch (RpcTimeoutException)
        {
            _log.Debug($"{_peer} did not acknowledge {batch.Count} revocations within {_timeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            // Shutting down; the writers get false below.
        }
        finally
        {
            foreach (var pending in batch)
            {
                pending.Acked.TrySetResult(acked);
            }
        }
    }

    private sealed record PendingRevoke(RawJson Key)
    {
        public TaskCompletionSource<bool> Acked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
