using System.Collections.Concurrent;
using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// The owner taking back what a backup holds for it (<c>recover</c>): at start, and whenever the backup
/// has flushed this node's entries itself. Until a backup has answered, the keys it backs up are not
/// served (<see cref="BackupLink.Ready"/>); the keys taken back at start are not flushed again until an
/// earlier run's flushes can no longer land (<see cref="WaitsOutRestartFence"/>).
/// </summary>
internal sealed class OwnerRecovery
{
    private readonly long _incarnation;
    private readonly RpcClient _rpc;
    private readonly LeaseTiming _timing;
    private readonly ReplicatedBuffer _buffer;
    private readonly WriteVersions _versions;
    private readonly BackupRanking _ranking;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly Timestamp _flushFenceUntil;
    private readonly ConcurrentDictionary<RawJson, byte> _recoveredKeys = new();

    /// <param name="incarnation">This run of the node: a reply meant for another run is ignored.</param>
    /// <param name="buffer">Where the entries taken back go, and whence the ones the backup flushed leave.</param>
    /// <param name="versions">Raised above every version taken back, so later writes are newer.</param>
    public OwnerRecovery(long incarnation, RpcClient rpc, LeaseTiming timing, ReplicatedBuffer buffer, WriteVersions versions, BackupRanking ranking, NodeServices services)
    {
        _incarnation = incarnation;
        _rpc = rpc;
        _timing = timing;
        _buffer = buffer;
        _versions = versions;
        _ranking = ranking;
        _time = services.Time;
        _stats = services.Stats;
        _log = services.Log;
        // A flush an earlier run sent just before it crashed may still land for up to a database timeout:
        // flushing the same key again before then could let that older value land last. Such a key is
        // still dirty on its backup (drops follow flushes), so only keys taken back at recovery wait.
        _flushFenceUntil = _time.Now() + _time.SpanRoundedUp(timing.DatabaseFence);
    }

    /// <summary>Whether the key may not be flushed yet: it was taken back at recovery, and an earlier run's flush of it may still land.</summary>
    public bool WaitsOutRestartFence(RawJson key, Timestamp now)
    {
        if (now < _flushFenceUntil)
        {
            return _recoveredKeys.ContainsKey(key);
        }

        // Past the fence no key waits: the record of those taken back is of no more use.
        if (!_recoveredKeys.IsEmpty)
        {
            _recoveredKeys.Clear();
        }

        return false;
    }

    /// <summary>Asks the link's peer for what it holds for this node, and takes it back; on success the link is recovered.</summary>
    public async Task RecoverAsync(BackupLink link, CancellationToken cancellationToken)
    {
        // The backup first lets its own flushes of this node's entries end: up to a database timeout.
        var timeout = _timing.DatabaseTimeout + _timing.PeerTimeout;
        var reply = await _rpc.CallAsync(link.Peer, new RecoverRequest { Incarnation = _incarnation }, timeout, cancellationToken);
        if (reply.IsError)
        {
            var error = reply.BindError();
            if (error.Code == (int)ErrorCode.PeerNotInitialized)
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
        if (ok.Incarnation != _incarnation)
        {
            return;
        }

        // Checked before anything is applied: a bad reply changes nothing and is asked for again.
        var entries = (ok.Entries ?? []).Select(entry => entry ?? throw NodeErrorException.Malformed("recover_ok: null entry")).ToList();
        var flushedHere = (ok.Flushed ?? []).Select(flushed => flushed ?? throw NodeErrorException.Malformed("recover_ok: null flushed entry")).ToList();
        foreach (var (key, version) in entries.Select(e => (e.Key, e.Version)).Concat(flushedHere.Select(f => (f.Key, f.Version))))
        {
            if (key.IsAbsent || version is <= 0 or > WriteVersions.Max || !_ranking.IsBackedUpBy(key, link.Peer))
            {
                throw NodeErrorException.Malformed($"recover_ok: {key} (version {version}) is not a key this node owns and {link.Peer} backs up");
            }
        }

        foreach (var entry in entries)
        {
            // Versions from here on must be above every version taken back.
            _versions.RaiseAbove(entry.Version);
            // A copy of a version this run already flushed (its custody lapsed before the backup heard)
            // is not dirty: taking it back would keep it on the backup until the next flush.
            if (!link.TakesBack(entry.Key, entry.Version))
            {
                continue;
            }

            if (_time.Now() < _flushFenceUntil)
            {
                _recoveredKeys[entry.Key] = 0;
            }

            _buffer.Adopt(entry);
            _stats.RecoveredEntry();
        }

        foreach (var flushed in flushedHere)
        {
            _buffer.Forget(flushed);
            // Heard: the backup may turn its record of that flush into an ordinary drop.
            link.AddDrop(flushed.Key, flushed.Version, inDatabase: true);
        }

        link.RecoveredFrom(ok.BackupIncarnation);
        _log.Info($"recovered from {link.Peer}: {ok.Entries?.Length ?? 0} dirty entries back, {ok.Flushed?.Length ?? 0} it had flushed");
        _buffer.WakeFlusher();
    }
}
