using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// Revocations and releases on their way to one peer. Everything queued while the previous message was
/// being sent leaves together in one <c>revoke</c> (releases ride along) or one <c>release</c>, so under
/// write load the message count grows with batches, not with writes.
/// </summary>
internal sealed class PeerOutbox : IAsyncDisposable
{
    private readonly string _peer;
    private readonly RpcClient _rpc;
    private readonly MessageWriter _writer;
    private readonly Func<string> _self;
    private readonly LeaseTiming _timing;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly Lock _gate = new();
    private readonly AsyncSignal _wake = new();
    private readonly BackgroundLoop _pump;
    private List<PendingRevoke> _revokes = [];
    private List<ReleasedWrite> _releases = [];
    private bool _disposed;

    public PeerOutbox(string peer, RpcClient rpc, MessageWriter writer, Func<string> self, LeaseTiming timing, NodeStats stats, Log log)
    {
        _peer = peer;
        _rpc = rpc;
        _writer = writer;
        _self = self;
        _timing = timing;
        _stats = stats;
        _log = log;
        _pump = new BackgroundLoop(PumpAsync).Start();
    }

    public string Peer => _peer;

    /// <summary>Queues a revocation; the task says whether the peer acknowledged it (false on error or timeout).</summary>
    public Task<bool> Revoke(long id, RawJson key)
    {
        var pending = new PendingRevoke(new RevokedKey(id, key));
        lock (_gate)
        {
            if (_disposed)
            {
                // Shutting down: nobody will acknowledge.
                return Task.FromResult(false);
            }

            _revokes.Add(pending);
        }

        _wake.Set();
        return pending.Acked.Task;
    }

    /// <summary>Queues a release.</summary>
    public void Release(ReleasedWrite release)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _releases.Add(release);
        }

        _wake.Set();
    }

    public async ValueTask DisposeAsync()
    {
        await _pump.DisposeAsync();

        // Whoever still waits for an ack will not get one.
        lock (_gate)
        {
            _disposed = true;
            foreach (var pending in _revokes)
            {
                pending.Acked.TrySetResult(false);
            }

            _revokes.Clear();
        }

        _wake.Dispose();
    }

    private async Task PumpAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await _wake.WaitAsync(token);
            List<PendingRevoke> revokes;
            List<ReleasedWrite> releases;
            lock (_gate)
            {
                (revokes, _revokes) = (_revokes, []);
                (releases, _releases) = (_releases, []);
            }

            if (revokes.Count > 0)
            {
                _ = SendRevokesAsync(revokes, releases, token);
            }
            else if (releases.Count > 0)
            {
                _stats.PeerMessage();
                _writer.Send(_self(), _peer, new ReleaseRequest { Release = [.. releases] }, inReplyTo: null);
            }
        }
    }

    private async Task SendRevokesAsync(List<PendingRevoke> revokes, List<ReleasedWrite> releases, CancellationToken token)
    {
        var acked = false;
        try
        {
            _stats.PeerMessage();
            var request = new RevokeRequest
            {
                Keys = revokes.Select(r => r.Key).ToArray(),
                TtlMs = (long)Math.Ceiling(_timing.RevocationTtl.TotalMilliseconds),
                Release = releases.Count > 0 ? [.. releases] : null,
            };
            var reply = await _rpc.CallAsync(_peer, request, _timing.PeerTimeout, token);
            acked = reply.Type == "revoke_ok";
            if (!acked)
            {
                _log.Debug($"{_peer} refused a revocation: {System.Text.Encoding.UTF8.GetString(reply.Body)}");
            }
        }
        catch (RpcTimeoutException)
        {
            _log.Debug($"{_peer} did not acknowledge {revokes.Count} revocations within {_timing.PeerTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            // Shutting down; the writers get false below.
        }
        finally
        {
            foreach (var pending in revokes)
            {
                pending.Acked.TrySetResult(acked);
            }
        }
    }

    private sealed record PendingRevoke(RevokedKey Key)
    {
        public TaskCompletionSource<bool> Acked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
