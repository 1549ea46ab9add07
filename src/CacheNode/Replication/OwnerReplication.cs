using System.Collections.Concurrent;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Replication;

/// <summary>
/// The owner's half of write-behind replication. Before a write is acked its value is copied to the key's
/// backup (the next node in the key's ranking). Every lease_ms/4 a heartbeat to each peer renews custody
/// (the right to flush the keys that peer backs up), carries the versions flushed since the last one, and
/// after the peer restarted, every copy it lost. At start, and whenever a peer has flushed this node's
/// entries itself, the owner first takes back what the peer holds (<c>recover</c>); until then the keys
/// that peer backs up answer error 11.
/// </summary>
internal sealed class OwnerReplication : IDirtyReplication, IAsyncDisposable
{
    private const int MaxEntriesPerMessage = 512;

    private readonly KeyOwnership _ownership;
    private readonly Dictionary<string, BackupLink> _links;
    private readonly RpcClient _rpc;
    private readonly BackupShelves _shelves;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly long _heldForTicks;
    private readonly long _flushFenceUntil;
    private readonly ConcurrentDictionary<RawJson, byte> _recoveredKeys = new();
    private readonly AsyncSignal _wake = new();
    private readonly BackgroundLoop _loop;
    private IReplicatedBuffer? _buffer;
    private long _version;

    public OwnerReplication(ClusterMembership membership, long incarnation, RpcClient rpc, BackupShelves shelves, LeaseTiming timing, TimeProvider time, NodeStats stats, Log log)
    {
        _ownership = new KeyOwnership(membership.NodeIds);
        _links = membership.Peers.ToDictionary(peer => peer, peer => new BackupLink(peer), StringComparer.Ordinal);
        Incarnation = incarnation;
        _rpc = rpc;
        _shelves = shelves;
        _timing = timing;
        _time = time;
        _stats = stats;
        _log = log;
        // Rounded down: the holder errs towards a shorter custody.
        _heldForTicks = (long)Math.Floor(timing.HeldFor.TotalSeconds * time.TimestampFrequency);
        // Versions continue above any earlier run's: that run started earlier, so its counter began lower
        // (and wrote fewer than a thousand versions per millisecond it ran).
        _version = checked(incarnation * 1000);
        // A flush an earlier run sent just before it crashed may still land for up to a database timeout:
        // flushing the same key again before then could let that older value land last. Such a key is
        // still dirty on its backup (drops follow flushes), so only keys taken back at recovery wait.
        var now = time.GetTimestamp();
        _flushFenceUntil = now + Ticks((timing.DatabaseTimeout * (1 + timing.DriftFraction)) + LeaseTiming.Slack);
        _loop = new BackgroundLoop(RunAsync);
    }

    /// <summary>This run of the node (its start time in Unix milliseconds): peers ignore messages from earlier runs.</summary>
    public long Incarnation { get; }

    public string BackupDescription => "next node in the key's ranking";

    public int BackupEntries => _shelves.DirtyCount;

    public bool Recovering => _links.Values.Any(link => !link.Recovered);

    /// <summary>Connects the buffer whose entries are replicated; must happen before <see cref="Start"/>.</summary>
    public void Attach(IReplicatedBuffer buffer) => _buffer = buffer;

    public void Start() => _loop.Start();

    public string BackupOf(RawJson key) => _ownership.Rank(key)[1];

    public bool IsReady(RawJson key) => LinkFor(key).Recovered;

    public long NextVersion() => Interlocked.Increment(ref _version);

    public bool MayFlush(RawJson key)
    {
        var now = _time.GetTimestamp();
        if (now < _flushFenceUntil)
        {
            if (_recoveredKeys.ContainsKey(key))
            {
                return false;
            }
        }
        else if (!_recoveredKeys.IsEmpty)
        {
            _recoveredKeys.Clear();
        }

        return LinkFor(key).HoldsCustody(now);
    }

    public void Flushed(RawJson key, long version) => LinkFor(key).AddDrop(key, version);

    public ValueTask FlushOrphansAsync(CancellationToken cancellationToken) => _shelves.WaitOrphansFlushedAsync(cancellationToken);

    public async ValueTask BackUpAsync(RawJson key, RawJson value, long version, CancellationToken cancellationToken)
    {
        var link = LinkFor(key);
        var request = new BackupRequest { Incarnation = Incarnation, Entries = [new BackupEntry(key, value, version)] };
        var mayHaveLanded = false;
        Exception? failure = null;
        // A few short tries: the key's other writes wait behind this one, and the client's own timeout is near.
        for (var attempt = 0; attempt < 3 && failure is null; attempt++)
        {
            try
            {
                var reply = await _rpc.CallAsync(link.Peer, request, _timing.PeerTimeout, cancellationToken);
                if (!reply.IsError)
                {
                    if (Accept(link, reply) is { } ok)
                    {
                        return;
                    }

                    failure = NodeErrorException.Indefinite($"backup {link.Peer} answered for another run of this node");
                    mayHaveLanded = true;
                }
                else
                {
                    // Refused: the backup wants this node to recover first. This attempt did not land.
                    link.MustRecover();
                    _wake.Set();
                    failure = new NodeErrorException(ErrorCode.TemporarilyUnavailable, $"backup {link.Peer} refused the copy: {reply.BindError().Text}");
                }
            }
            catch (RpcTimeoutException)
            {
                mayHaveLanded = true;
            }
            catch (OperationCanceledException)
            {
                mayHaveLanded = true;
                failure = NodeErrorException.Indefinite("shutting down");
            }
        }

        // The write is not acked, but the backup may hold it: it is abandoned, and the backup told so (a
        // copy arriving after that word is ignored).
        link.AddDrop(key, version);
        _stats.BackupFailure();
        if (mayHaveLanded)
        {
            throw NodeErrorException.Indefinite($"backup {link.Peer} did not confirm the copy in time; the write may or may not happen");
        }

        throw failure ?? NodeErrorException.Indefinite($"backup {link.Peer} did not confirm the copy");
    }

    /// <summary>A peer that restarted (it sent <c>recover</c>) lost the copies it held for this node: they are sent again.</summary>
    public void PeerRestarted(string peer, long peerIncarnation)
    {
        if (_links.TryGetValue(peer, out var link) && link.Observe(peerIncarnation))
        {
            _log.Info($"{peer} restarted: copying this node's dirty entries to it again");
            _wake.Set();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        _wake.Dispose();
    }

    private BackupLink LinkFor(RawJson key) => _links[BackupOf(key)];

    private BackupOk? Accept(BackupLink link, RpcReply reply)
    {
        var ok = reply.Bind(ProtocolJsonContext.Default.BackupOk);
        if (ok.Incarnation != Incarnation)
        {
            return null;
        }

        if (link.Observe(ok.BackupIncarnation))
        {
            _log.Info($"{link.Peer} restarted: copying this node's dirty entries to it again");
            _wake.Set();
        }

        return ok;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(_links.Values.Select(link => TickAsync(link, cancellationToken)));
            _shelves.Tick();
            await _wake.WaitAsync(_timing.RenewInterval, cancellationToken);
        }
    }

    private async Task TickAsync(BackupLink link, CancellationToken cancellationToken)
    {
        try
        {
            if (!link.Recovered)
            {
                await RecoverAsync(link, cancellationToken);
            }

            if (link.Recovered)
            {
                await HeartbeatAsync(link, cancellationToken);
            }
        }
        catch (RpcTimeoutException)
        {
            _log.Debug($"no answer from {link.Peer} this round");
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (NodeErrorException ex)
        {
            _log.Warn($"bad replication reply from {link.Peer}: {ex.Message}");
        }
    }

    private async Task RecoverAsync(BackupLink link, CancellationToken cancellationToken)
    {
        // The backup first lets its own flushes of this node's entries end: up to a database timeout.
        var timeout = _timing.DatabaseTimeout + _timing.PeerTimeout;
        var reply = await _rpc.CallAsync(link.Peer, new RecoverRequest { Incarnation = Incarnation }, timeout, cancellationToken);
        if (reply.IsError)
        {
            var error = reply.BindError();
            if (error.Code == (int)ErrorCode.TemporarilyUnavailable && error.Text == NodeErrorException.NotInitializedText)
            {
                // A peer that has not been initialized has just started: it holds nothing of this node's.
                link.RecoveredFrom(0);
                _log.Debug($"{link.Peer} is not initialized yet: nothing to recover from it");
                _buffer?.WakeFlusher();
                return;
            }

            _log.Warn($"{link.Peer} refused recovery: {error.Text}");
            return;
        }

        var ok = reply.Bind(ProtocolJsonContext.Default.RecoverOk);
        if (ok.Incarnation != Incarnation)
        {
            return;
        }

        var buffer = _buffer ?? throw new InvalidOperationException("no buffer attached");
        foreach (var entry in ok.Entries ?? [])
        {
            // Versions from here on must be above every version taken back.
            InterlockedMax(ref _version, entry.Version);
            if (_time.GetTimestamp() < _flushFenceUntil)
            {
                _recoveredKeys[entry.Key] = 0;
            }

            buffer.Adopt(entry);
            _stats.RecoveredEntry();
        }

        foreach (var flushed in ok.Flushed ?? [])
        {
            buffer.Forget(flushed);
            // Heard: the backup may turn its record of that flush into an ordinary drop.
            link.AddDrop(flushed.Key, flushed.Version);
        }

        link.RecoveredFrom(ok.BackupIncarnation);
        _log.Info($"recovered from {link.Peer}: {ok.Entries?.Length ?? 0} dirty entries back, {ok.Flushed?.Length ?? 0} it had flushed");
        buffer.WakeFlusher();
    }

    private async Task HeartbeatAsync(BackupLink link, CancellationToken cancellationToken)
    {
        var requestedAt = _time.GetTimestamp();
        var drops = link.TakeDrops(MaxEntriesPerMessage);
        var resync = link.ResyncNeeded;
        BackupEntry[]? entries = null;
        if (resync)
        {
            entries = (_buffer?.DirtyEntries(key => BackupOf(key) == link.Peer) ?? [])
                .Select(entry => new BackupEntry(entry.Key, entry.Value, entry.Version))
                .ToArray();
        }

        RpcReply reply;
        try
        {
            reply = await _rpc.CallAsync(link.Peer, new BackupRequest { Incarnation = Incarnation, Entries = entries, Flushed = drops }, _timing.RenewInterval, cancellationToken);
        }
        catch
        {
            link.ReturnDrops(drops);
            throw;
        }

        if (reply.IsError)
        {
            link.ReturnDrops(drops);
            link.MustRecover();
            _log.Info($"{link.Peer} asks this node to recover first: {reply.BindError().Text}");
            _wake.Set();
            return;
        }

        if (Accept(link, reply) is not { } ok)
        {
            link.ReturnDrops(drops);
            return;
        }

        if (resync)
        {
            link.Resynced(ok.BackupIncarnation);
        }

        if (ok.Custody)
        {
            link.Granted(requestedAt, _heldForTicks);
            _buffer?.WakeFlusher();
        }
    }

    private long Ticks(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds * _time.TimestampFrequency);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
