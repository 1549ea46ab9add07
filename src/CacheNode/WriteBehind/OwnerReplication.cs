using System.Collections.Concurrent;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

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

    // Far above any real version (start time in ms × 1000 plus writes), far below overflow.
    private const long MaxVersion = long.MaxValue / 4;

    private readonly KeyOwnership _ownership;
    private readonly Dictionary<string, BackupLink> _links;
    private readonly RpcClient _rpc;
    private readonly BackupShelves _shelves;
    private readonly ReplicatedBuffer _buffer;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly long _heldForTicks;
    private readonly long _flushFenceUntil;
    private readonly ConcurrentDictionary<RawJson, byte> _recoveredKeys = new();
    private readonly Dictionary<string, AsyncSignal> _wakes;
    private readonly string _self;
    private readonly BackgroundLoop _loop;
    private long _version;

    /// <param name="buffer">This node's dirty entries: what is copied to backups, and where recovery puts back what they held.</param>
    public OwnerReplication(ClusterMembership membership, long incarnation, RpcClient rpc, BackupShelves shelves, ReplicatedBuffer buffer, LeaseTiming timing, WriteBehindServices services)
    {
        var time = services.Time;
        _ownership = new KeyOwnership(membership.NodeIds);
        var restartFence = time.TicksRoundedUp(timing.DatabaseFence);
        _links = membership.Peers.ToDictionary(peer => peer, peer => new BackupLink(peer, restartFence, time), StringComparer.Ordinal);
        _wakes = membership.Peers.ToDictionary(peer => peer, _ => new AsyncSignal(), StringComparer.Ordinal);
        _self = membership.NodeId;
        Incarnation = incarnation;
        _rpc = rpc;
        _shelves = shelves;
        _buffer = buffer;
        _timing = timing;
        _time = time;
        _stats = services.Stats;
        _log = services.Log;
        // Rounded down: the holder errs towards a shorter custody.
        _heldForTicks = time.TicksRoundedDown(timing.HeldFor);
        // Versions continue above any earlier run's: that run started earlier, so its counter began lower
        // (and wrote fewer than a thousand versions per millisecond it ran).
        _version = checked(incarnation * 1000);
        // A flush an earlier run sent just before it crashed may still land for up to a database timeout:
        // flushing the same key again before then could let that older value land last. Such a key is
        // still dirty on its backup (drops follow flushes), so only keys taken back at recovery wait.
        var now = time.GetTimestamp();
        _flushFenceUntil = now + restartFence;
        _loop = new BackgroundLoop(RunAsync);
    }

    /// <summary>This run of the node (its start time in Unix milliseconds): peers ignore messages from earlier runs.</summary>
    public long Incarnation { get; }

    public string BackupDescription => "next node in the key's ranking";

    public int BackupEntries => _shelves.DirtyCount;

    public bool Recovering => _links.Values.Any(link => !link.Ready);

    public void Start() => _loop.Start();

    public string BackupOf(RawJson key) => _ownership.Rank(key)[1];

    public bool IsReady(RawJson key) => LinkFor(key).Ready;

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
        var mayHaveLanded = false;
        NodeErrorException? refusal = null;
        // A few short tries: the key's other writes wait behind this one, and the client's own timeout is near.
        for (var attempt = 0; attempt < 3 && refusal is null; attempt++)
        {
            var request = new BackupRequest
            {
                Incarnation = Incarnation,
                BackupIncarnation = link.PeerIncarnation,
                Entries = [new BackupEntry(key, value, version)],
            };
            try
            {
                var reply = await _rpc.CallAsync(link.Peer, request, _timing.PeerTimeout, cancellationToken);
                if (reply.IsError)
                {
                    var error = reply.BindError();
                    if (error.Code == (int)ErrorCode.RecoverFirst)
                    {
                        link.MustRecover();
                        Wake(link);
                    }

                    // Refused: this attempt was not taken.
                    refusal = new NodeErrorException(ErrorCode.TemporarilyUnavailable, $"backup {link.Peer} refused the copy: {error.Text}");
                    continue;
                }

                if (Accept(link, reply) is { Stored: true })
                {
                    return;
                }

                // Addressed to an earlier run of the backup (now known): the next attempt goes to this one.
            }
            catch (RpcTimeoutException)
            {
                mayHaveLanded = true;
            }
            catch (OperationCanceledException)
            {
                mayHaveLanded = true;
                break;
            }
        }

        // Not acked; but an attempt may have reached the backup, so it is abandoned there.
        Abandoned(key, version);
        _stats.BackupFailure();
        if (mayHaveLanded || refusal is null)
        {
            throw NodeErrorException.Indefinite($"backup {link.Peer} did not confirm the copy in time; the write may or may not happen");
        }

        throw refusal;
    }

    public void Abandoned(RawJson key, long version)
    {
        var link = LinkFor(key);
        // A drop means "every version up to this one is done with": right only when the key is not dirty
        // here. If it is, its dirty entry is copied again above the abandoned version instead, so the
        // backup keeps a copy of the value this node still has to flush.
        if (!_buffer.Renumber(key, NextVersion()))
        {
            link.AddDrop(key, version);
            return;
        }

        link.Recopy(key);
        Wake(link);
    }

    /// <summary>A peer that restarted (it sent <c>recover</c>) lost the copies it held for this node: they are sent again.</summary>
    public void PeerRestarted(string peer, long peerIncarnation)
    {
        if (_links.TryGetValue(peer, out var link) && link.Observe(peerIncarnation))
        {
            _log.Info($"{peer} restarted: copying this node's dirty entries to it again");
            Wake(link);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        foreach (var wake in _wakes.Values)
        {
            wake.Dispose();
        }
    }

    private void Wake(BackupLink link) => _wakes[link.Peer].Set();

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
            Wake(link);
        }

        return ok;
    }

    // One loop per peer, so a peer that is slow to answer (a recovery may wait for its flushes to end)
    // delays no other peer's custody; and one for the shelves this node keeps for others.
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = _links.Values.Select(link => LinkLoopAsync(link, cancellationToken)).ToList();
        loops.Add(ShelfLoopAsync(cancellationToken));
        await Task.WhenAll(loops);
    }

    private async Task LinkLoopAsync(BackupLink link, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await TickAsync(link, cancellationToken);
            await _wakes[link.Peer].WaitAsync(_timing.RenewInterval, cancellationToken);
        }
    }

    private async Task ShelfLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            _shelves.Tick();
            await Task.Delay(_timing.RenewInterval / 2, _time, cancellationToken);
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // A malformed reply (or a bug) costs this round, never the loop: custody and recovery go on.
            _log.Warn($"replication with {link.Peer} failed this round: {ex.Message}");
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
                _buffer.WakeFlusher();
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

        // Checked before anything is applied: a bad reply changes nothing and is asked for again.
        var entries = (ok.Entries ?? []).Select(entry => entry ?? throw NodeErrorException.Malformed("recover_ok: null entry")).ToList();
        var flushedHere = (ok.Flushed ?? []).Select(flushed => flushed ?? throw NodeErrorException.Malformed("recover_ok: null flushed entry")).ToList();
        foreach (var (key, version) in entries.Select(e => (e.Key, e.Version)).Concat(flushedHere.Select(f => (f.Key, f.Version))))
        {
            if (key.IsAbsent || version is <= 0 or > MaxVersion || !IsBackedUpBy(key, link.Peer))
            {
                throw NodeErrorException.Malformed($"recover_ok: {key} (version {version}) is not a key this node owns and {link.Peer} backs up");
            }
        }

        foreach (var entry in entries)
        {
            // Versions from here on must be above every version taken back.
            InterlockedMax(ref _version, entry.Version);
            if (_time.GetTimestamp() < _flushFenceUntil)
            {
                _recoveredKeys[entry.Key] = 0;
            }

            // A queued drop of this version (an abandoned write the backup kept) must not erase the copy
            // of what is now this node's dirty entry.
            link.CancelDrop(entry.Key, entry.Version);
            _buffer.Adopt(entry);
            _stats.RecoveredEntry();
        }

        foreach (var flushed in flushedHere)
        {
            _buffer.Forget(flushed);
            // Heard: the backup may turn its record of that flush into an ordinary drop.
            link.AddDrop(flushed.Key, flushed.Version);
        }

        link.RecoveredFrom(ok.BackupIncarnation);
        _log.Info($"recovered from {link.Peer}: {ok.Entries?.Length ?? 0} dirty entries back, {ok.Flushed?.Length ?? 0} it had flushed");
        _buffer.WakeFlusher();
    }

    private async Task HeartbeatAsync(BackupLink link, CancellationToken cancellationToken)
    {
        var requestedAt = _time.GetTimestamp();
        var drops = link.TakeDrops(MaxEntriesPerMessage);
        var resync = link.ResyncNeeded;
        var recopies = link.TakeRecopies();
        var wanted = recopies.ToHashSet();
        var entries = resync || wanted.Count > 0
            ? _buffer.DirtyEntries(key => BackupOf(key) == link.Peer && (resync || wanted.Contains(key)))
                .Select(entry => (BackupEntry?)new BackupEntry(entry.Key, entry.Value, entry.Version))
                .ToArray()
            : null;
        // A backup takes a message addressed to its run, from a new run of this node, as proof that this
        // run has what it handed over at recovery (OwnerShelf). That holds because nothing is sent to a
        // backup before it is recovered from: heartbeats wait for Recovered, copies for Ready.
        var addressedTo = link.PeerIncarnation;

        RpcReply reply;
        try
        {
            var request = new BackupRequest { Incarnation = Incarnation, BackupIncarnation = addressedTo, Entries = entries, Flushed = drops };
            reply = await _rpc.CallAsync(link.Peer, request, _timing.RenewInterval, cancellationToken);
        }
        catch
        {
            link.ReturnDrops(drops);
            link.ReturnRecopies(recopies);
            throw;
        }

        if (reply.IsError)
        {
            link.ReturnDrops(drops);
            link.ReturnRecopies(recopies);
            var error = reply.BindError();
            if (error.Code == (int)ErrorCode.RecoverFirst)
            {
                link.MustRecover();
                _log.Info($"{link.Peer} asks this node to recover first: {error.Text}");
                Wake(link);
            }
            else
            {
                _log.Debug($"{link.Peer} did not take this heartbeat: {error.Text}");
            }

            return;
        }

        BackupOk? ok;
        try
        {
            ok = Accept(link, reply);
        }
        catch
        {
            // A malformed reply: nothing it carried is known to have arrived.
            link.ReturnDrops(drops);
            link.ReturnRecopies(recopies);
            throw;
        }

        if (ok is null)
        {
            link.ReturnDrops(drops);
            link.ReturnRecopies(recopies);
            return;
        }

        if (!ok.Stored)
        {
            // Addressed to an earlier run: the copies go again, to this run, with the next heartbeat
            // (Accept woke the loop if the run is new to this node).
            link.ReturnRecopies(recopies);
        }
        else if (resync)
        {
            link.Resynced(ok.BackupIncarnation);
        }

        if (ok.Custody)
        {
            link.Granted(requestedAt, _heldForTicks);
            _buffer.WakeFlusher();
        }
    }

    private bool IsBackedUpBy(RawJson key, string peer)
    {
        var ranking = _ownership.Rank(key);
        return ranking[0] == _self && ranking[1] == peer;
    }

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
