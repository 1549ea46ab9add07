using CacheNode.Cluster;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// The owner's half of write-behind replication. Before a write is acked its value is copied to this
/// node's backup (the node with the next id, <see cref="BackupRanking"/>). Every lease_ms/4 a heartbeat
/// to it renews custody (the right to flush), carries the versions flushed since the last one, and after
/// the backup restarted, every copy it lost. At start, and whenever the backup has flushed this node's
/// entries itself, the owner first takes back what it holds (<c>recover</c>); until then this node's
/// write-behind keys answer error 11.
/// </summary>
internal sealed class OwnerReplication : IDirtyReplication, IAsyncDisposable
{
    private const int MaxEntriesPerMessage = 512;

    private readonly BackupRanking _ranking;
    private readonly BackupLink _link;
    private readonly RpcClient _rpc;
    private readonly BackupShelves _shelves;
    private readonly ReplicatedBuffer _buffer;
    private readonly LeaseTiming _timing;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly TickSpan _heldFor;
    private readonly AsyncSignal _wake = new();
    private readonly WriteVersions _versions;
    private readonly OwnerRecovery _recovery;
    private readonly BackgroundLoop _loop;

    /// <param name="buffer">This node's dirty entries: what is copied to backups, and where recovery puts back what they held.</param>
    public OwnerReplication(ClusterMembership membership, long incarnation, RpcClient rpc, BackupShelves shelves, ReplicatedBuffer buffer, LeaseTiming timing, NodeServices services)
    {
        var time = services.Time;
        _ranking = new BackupRanking(membership);
        var restartFence = time.SpanRoundedUp(timing.DatabaseFence);
        // Only this node's backup: no other peer holds anything of this node's, so custody, heartbeats and
        // recovery involve that one peer.
        _link = new BackupLink(_ranking.Backup, restartFence, time);
        Incarnation = incarnation;
        _rpc = rpc;
        _shelves = shelves;
        _buffer = buffer;
        _timing = timing;
        _time = time;
        _stats = services.Stats;
        _log = services.Log;
        // Rounded down: the holder errs towards a shorter custody.
        _heldFor = time.SpanRoundedDown(timing.HeldFor);
        _versions = new WriteVersions(incarnation);
        _recovery = new OwnerRecovery(incarnation, rpc, timing, buffer, _versions, _ranking, services);
        _loop = new BackgroundLoop(RunAsync);
    }

    /// <summary>This run of the node (its start time in Unix milliseconds): peers ignore messages from earlier runs.</summary>
    public long Incarnation { get; }

    public string BackupDescription => $"{_ranking.Backup} (the next node id after this one)";

    public int BackupEntries => _shelves.DirtyCount;

    public bool Recovering => !_link.Ready;

    public void Start() => _loop.Start();

    public bool IsReady(RawJson key) => _link.Ready;

    public long NextVersion() => _versions.Next();

    public bool MayFlush(RawJson key)
    {
        var now = _time.Now();
        // Not an unconfirmed value: the backup may hold an older copy of the key, dirty, and write it over
        // this one as an orphan if this node stays cut off (independent review of the chain).
        return !_recovery.WaitsOutRestartFence(key, now) && _link.HoldsCustody(now) && !_buffer.Unconfirmed.Contains(key);
    }

    public void Flushed(RawJson key, long version)
    {
        // Not a confirmation: being in the database does not make a value safe while the backup may hold
        // an older dirty copy (MayFlush keeps unconfirmed keys out of the database for that reason).
        _link.AddDrop(key, version, inDatabase: true);
    }

    public ValueTask FlushOrphansAsync(CancellationToken cancellationToken) => _shelves.WaitOrphansFlushedAsync(cancellationToken);

    public async ValueTask<CopyReceipt> BackUpAsync(RawJson key, RawJson value, long version, ForwarderAnswer? answer, CancellationToken cancellationToken)
    {
        var link = _link;
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
                Answer = answer,
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
                        Wake();
                    }

                    // Refused: this attempt was not taken (nor answered).
                    refusal = new NodeErrorException(ErrorCode.TemporarilyUnavailable, $"backup {link.Peer} refused the copy: {error.Text}");
                    continue;
                }

                var ok = Accept(link, reply);
                if (ok is { Stored: true })
                {
                    // Held there: so is every older version this node had not heard about.
                    _buffer.Unconfirmed.Confirm(key, version);
                    return new CopyReceipt(CopyOutcome.Held, ok.BackupIncarnation);
                }

                // Not stored: addressed to an earlier run of the backup (now known), and the next attempt
                // goes to this one. No reply to go by (ok null): a run of the backup that has restarted since
                // may have held it and answered the forwarding node, so it is handled as a try that timed out.
                mayHaveLanded |= ok is null;
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

        _stats.BackupFailure();
        if (mayHaveLanded && answer is not null)
        {
            // A try that landed was answered: the forwarding node may have acked the write already. It is
            // kept, never dropped; the caller stages it, and the next heartbeat copies it again.
            return new CopyReceipt(CopyOutcome.MayBeHeld, BackupRun: 0);
        }

        // Not acked by anyone; but an attempt may have reached the backup, so it is abandoned there.
        Abandoned(key, version);
        if (mayHaveLanded || refusal is null)
        {
            throw NodeErrorException.Indefinite($"backup {link.Peer} did not confirm the copy in time; the write may or may not happen");
        }

        throw refusal;
    }

    public void MarkUnconfirmed(RawJson key, long version) => _buffer.Unconfirmed.Add(key, version);

    public void HeldByBackup(RawJson key, long version) => _buffer.Unconfirmed.Confirm(key, version);

    public void Staged(RawJson key, CopyReceipt receipt)
    {
        if (receipt.Outcome == CopyOutcome.MayBeHeld)
        {
            _link.Recopy(key);
            Wake();
        }
        else if (_link.RecopyIfRestartedSince(key, receipt.BackupRun))
        {
            Wake();
        }
    }

    public bool IsConfirmed(RawJson key) => !_buffer.Unconfirmed.Contains(key);

    public void Abandoned(RawJson key, long version)
    {
        var link = _link;
        // A drop means "every version up to this one is done with": right only when the key is not dirty
        // here. If it is, its dirty entry is copied again above the abandoned version instead, so the
        // backup keeps a copy of the value this node still has to flush.
        if (!_buffer.Renumber(key, NextVersion()))
        {
            link.AddDrop(key, version, inDatabase: false);
            return;
        }

        link.Recopy(key);
        Wake();
    }

    /// <summary>A peer that restarted (it sent <c>recover</c>) lost the copies it held for this node: they are sent again.</summary>
    public void PeerRestarted(string peer, long peerIncarnation)
    {
        if (peer == _link.Peer && _link.Observe(peerIncarnation))
        {
            _log.Info($"{peer} restarted: copying this node's dirty entries to it again");
            Wake();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        _wake.Dispose();
    }

    private void Wake() => _wake.Set();

    /// <summary>The reply, or null when it is not this run's to go by: meant for an earlier run of this node, or sent by an earlier run of the backup.</summary>
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
            Wake();
        }

        // A late reply from a run of the backup that has restarted since (the network reorders): what it
        // stored died with it, and the custody it granted with it.
        return ok.BackupIncarnation < link.PeerIncarnation ? null : ok;
    }

    // One loop for this node's backup, and one for the shelves this node keeps for others, so a slow
    // backup (a recovery waiting for its flushes to end) delays nothing of what it holds for them.
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(LinkLoopAsync(_link, cancellationToken), ShelfLoopAsync(cancellationToken));
    }

    private async Task LinkLoopAsync(BackupLink link, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await TickAsync(link, cancellationToken);
            await _wake.WaitAsync(_timing.RenewInterval, cancellationToken);
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
                await _recovery.RecoverAsync(link, cancellationToken);
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

    private async Task HeartbeatAsync(BackupLink link, CancellationToken cancellationToken)
    {
        var requestedAt = _time.Now();
        var drops = link.TakeDrops(MaxEntriesPerMessage);
        var resync = link.ResyncNeeded;
        var recopies = link.TakeRecopies();
        var wanted = recopies.ToHashSet();
        var entries = resync || wanted.Count > 0
            ? _buffer.DirtyEntries(key => resync || wanted.Contains(key))
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
            var request = new BackupRequest { Incarnation = Incarnation, BackupIncarnation = addressedTo, Entries = entries, Flushed = [.. drops.Select(drop => drop.ToMessage())] };
            // A heartbeat that re-sends copies (after the backup restarted) carries every dirty entry of this
            // node's and may take longer than a renewal interval: were it cut off at one, it would be sent
            // again, as large, for ever, and custody never renewed. Its reply is still good for custody
            // until HeldFor after it was sent, so it may take that long.
            var timeout = entries is { Length: > 0 } ? _timing.HeldFor : _timing.RenewInterval;
            reply = await _rpc.CallAsync(link.Peer, request, timeout, cancellationToken);
        }
        catch
        {
            PutBackUnsent();
            throw;
        }

        if (reply.IsError)
        {
            PutBackUnsent();
            var error = reply.BindError();
            if (error.Code == (int)ErrorCode.RecoverFirst)
            {
                link.MustRecover();
                _log.Info($"{link.Peer} asks this node to recover first: {error.Text}");
                Wake();
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
            PutBackUnsent();
            throw;
        }

        if (ok is null)
        {
            PutBackUnsent();
            return;
        }

        if (!ok.Stored)
        {
            // Addressed to an earlier run: the copies go again, to this run, with the next heartbeat
            // (Accept woke the loop if the run is new to this node).
            link.ReturnRecopies(recopies);
        }
        else
        {
            if (resync)
            {
                link.Resynced(ok.BackupIncarnation);
            }

            // Every copy this heartbeat carried is held now (or a newer one, or its drop).
            foreach (var entry in entries ?? [])
            {
                _buffer.Unconfirmed.Confirm(entry!.Key, entry.Version);
            }
        }

        if (ok.Custody)
        {
            link.Granted(requestedAt, _heldFor);
            _buffer.WakeFlusher();
        }

        // What this heartbeat took from the link goes back whenever it is not known to have arrived:
        // the next heartbeat carries it again.
        void PutBackUnsent()
        {
            link.ReturnDrops(drops);
            link.ReturnRecopies(recopies);
        }
    }
}
