using CacheNode.Cache;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// The writer's half of the invalidation protocol. Before a write reaches the database, every peer must
/// have dropped the key and be holding it revoked, or have provably stopped serving: peers that do not
/// acknowledge in time are blocked from renewing their lease, and the write waits until the last lease
/// granted to them has run out. Once the database has answered, the revocations are released (with the
/// new value under write-through) and the blocked peers may renew again.
/// </summary>
/// <remarks>
/// Why before and not after the write: once the database holds the new value, any node that misses
/// reads it; if another node could still serve the old value from its cache at that moment, a client
/// could see new then old. Revoking first leaves no such moment.
/// </remarks>
internal sealed class PeerInvalidator : IAsyncDisposable
{
    private readonly PeerOutbox[] _outboxes;
    private readonly GrantedLeases _grants;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    // Writes between their revoke and their release, with when they began: what a restarted peer may
    // have acknowledged in its earlier life.
    private readonly Dictionary<long, Timestamp> _inFlight = [];
    private readonly TickSpan _sendWindow;
    private long _lastId;

    public PeerInvalidator(IReadOnlyList<PeerOutbox> outboxes, GrantedLeases grants, LeaseTiming timing, TimeProvider time, NodeStats stats)
    {
        _outboxes = [.. outboxes];
        _grants = grants;
        _timing = timing;
        _time = time;
        _stats = stats;
        _sendWindow = time.SpanRoundedDown(timing.SendWindow);
        // Ids from an earlier run of this node (before a crash) may still be held by peers: start elsewhere.
        _lastId = Random.Shared.NextInt64(1L << 52) << 8;
    }

    /// <summary>Revokes <paramref name="key"/> on every peer; returns once the write may reach the database.</summary>
    public async ValueTask<Revocation> RevokeAsync(RawJson key, CancellationToken cancellationToken)
    {
        if (_outboxes.Length == 0)
        {
            return Revocation.None;
        }

        var id = Interlocked.Increment(ref _lastId);
        var sendBy = _time.Now() + _sendWindow;
        var acks = new Task<bool>[_outboxes.Length];
        lock (_inFlight)
        {
            _inFlight[id] = _time.Now();
        }

        for (var i = 0; i < _outboxes.Length; i++)
        {
            acks[i] = _outboxes[i].Revoke(id, key);
            _stats.InvalidationSent();
        }

        try
        {
            await Task.WhenAll(acks).WaitAsync(_timing.PeerTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Some peer did not answer in time: it is waited out below.
        }
        catch (OperationCanceledException)
        {
            // The write will not happen: let go of whatever the peers already hold.
            Release(new Revocation(id, [], sendBy), WriteCompletion.Invalidate, default);
            throw;
        }

        List<string>? blocked = null;
        var waitUntil = Timestamp.LongAgo;
        for (var i = 0; i < _outboxes.Length; i++)
        {
            if (acks[i] is not { IsCompletedSuccessfully: true } ack || !await ack)
            {
                var peer = _outboxes[i].Peer;
                (blocked ??= []).Add(peer);
                waitUntil = Timestamp.Max(waitUntil, _grants.Block(peer));
            }
        }

        var revocation = new Revocation(id, blocked ?? (IReadOnlyList<string>)[], sendBy);
        if (blocked is not null)
        {
            _stats.LeaseWait();
            try
            {
                // Timers may fire a tick early; the wait is the safety argument, so it is checked, not assumed.
                TimeSpan remaining;
                while ((remaining = _time.TimeUntil(waitUntil)) > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, cancellationToken);
                }
            }
            catch
            {
                Release(revocation, WriteCompletion.Invalidate, default);
                throw;
            }
        }

        return revocation;
    }

    /// <summary>
    /// After the database answered (or the write failed): ends the revocation everywhere, telling the
    /// peers what became of the key: <see cref="WriteCompletion.Install"/> <paramref name="value"/>
    /// (write-through), drop it, or nothing changed.
    /// </summary>
    public void Release(Revocation revocation, WriteCompletion completion, RawJson value)
    {
        if (revocation.Id == 0)
        {
            return;
        }

        var release = new ReleasedWrite(
            revocation.Id,
            completion == WriteCompletion.Install ? value : default,
            Unchanged: completion == WriteCompletion.Unchanged);
        foreach (var outbox in _outboxes)
        {
            // Blocked peers too: one may have acknowledged after we stopped waiting.
            outbox.Release(release);
        }

        lock (_inFlight)
        {
            _inFlight.Remove(revocation.Id);
        }

        foreach (var peer in revocation.Blocked)
        {
            _grants.Unblock(peer);
        }
    }

    /// <summary>
    /// Whether a write still in flight began more than <paramref name="uptime"/> ago (less the drift
    /// margin): early enough that a peer up for that long may have acknowledged its revocation before
    /// a restart, and forgotten it.
    /// </summary>
    public bool HasWritesInFlightOlderThan(TimeSpan uptime)
    {
        var threshold = _time.Now() - _time.SpanRoundedDown(uptime * (1 - _timing.DriftFraction));
        lock (_inFlight)
        {
            return _inFlight.Values.Any(startedAt => startedAt < threshold);
        }
    }

    /// <summary>Whether the write may still be sent now (see <see cref="Revocation.SendBy"/>).</summary>
    public bool IsStillSendable(Revocation revocation) => _time.Now() <= revocation.SendBy;

    public async ValueTask DisposeAsync()
    {
        foreach (var outbox in _outboxes)
        {
            await outbox.DisposeAsync();
        }
    }
}
