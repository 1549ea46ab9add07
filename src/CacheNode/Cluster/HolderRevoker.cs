using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// The home's half of a write: before the write may reach the database, every peer that may hold the key
/// has dropped it (acknowledged a <c>revoke</c>) or has provably stopped serving it (its key lease, as
/// this node granted it, has run out). Only the holders are asked: a write of a key nobody else holds
/// sends nothing.
/// </summary>
/// <remarks>
/// Why before and not after the write: once the database holds the new value, any node that misses reads
/// it; if another node could still serve the old value from its cache at that moment, a client could see
/// new then old. No grant can slip in meanwhile: the home answers no fill of a key while it writes it.
/// </remarks>
internal sealed class HolderRevoker : IAsyncDisposable
{
    private readonly HolderTable _holders;
    private readonly VolumeLedger _ledger;
    private readonly Dictionary<string, RevokeOutbox> _outboxes;
    private readonly TimeSpan _ackTimeout;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;

    public HolderRevoker(HolderTable holders, VolumeLedger ledger, IEnumerable<RevokeOutbox> outboxes, TimeSpan ackTimeout, NodeServices services)
    {
        _holders = holders;
        _ledger = ledger;
        _outboxes = outboxes.ToDictionary(o => o.Peer, StringComparer.Ordinal);
        _ackTimeout = ackTimeout;
        _time = services.Time;
        _stats = services.Stats;
    }

    /// <summary>
    /// Revokes <paramref name="key"/> on every peer that may hold it; returns once the write may reach the
    /// database. Must be called after the write has begun locally (so no new grant of the key is answered).
    /// </summary>
    public async ValueTask RevokeHoldersAsync(RawJson key, CancellationToken cancellationToken)
    {
        var holders = _holders.HoldersOf(key);
        if (holders.Count == 0)
        {
            return;
        }

        var acks = new Task<bool>[holders.Count];
        var drops = new PendingDrop?[holders.Count];
        for (var i = 0; i < holders.Count; i++)
        {
            // On the holder's drop list before the revoke leaves: a volume granted from now on carries it.
            drops[i] = holders[i].FromEarlierRun ? null : _ledger.BeginRevoke(key, holders[i]);
            acks[i] = _outboxes[holders[i].Peer].Revoke(key);
            _stats.InvalidationSent();
        }

        try
        {
            await Task.WhenAll(acks).WaitAsync(_ackTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Some holder did not answer in time: it is waited out below.
        }

        Timestamp? waitUntil = null;
        List<Holder>? waitedOut = null;
        for (var i = 0; i < holders.Count; i++)
        {
            if (acks[i].IsCompletedSuccessfully && await acks[i])
            {
                if (drops[i] is { } drop)
                {
                    _ledger.RevokeAcknowledged(drop.Peer, drop.Seq);
                }

                _holders.Revoked(key, holders[i]);
            }
            else if (drops[i] is not { } drop || !_ledger.HasApplied(drop.Peer, drop.Seq))
            {
                // Not heard from: it stops serving when its volume lease (granted before this drop) ends,
                // or its key lease, whichever first; a copy from the earlier run, when that run's do.
                var servesUntil = drops[i]?.WaitUntil ?? holders[i].Until;
                waitUntil = waitUntil is { } later ? Timestamp.Max(later, servesUntil) : servesUntil;
                if (drops[i] is not null)
                {
                    (waitedOut ??= []).Add(holders[i]);
                }
            }
            else
            {
                // It applied the drop with a renewal instead of answering the revoke.
                _holders.Revoked(key, holders[i]);
            }
        }

        if (waitUntil is { } until && until > _time.Now())
        {
            await WaitUntilAsync(until, cancellationToken);
        }

        // Once waited out, an unanswering holder cannot serve its copy again: its volume is over and every
        // later one carries the drop. So the next write of the key does not wait for it again.
        foreach (var holder in waitedOut ?? [])
        {
            _holders.Revoked(key, holder);
        }
    }

    private async ValueTask WaitUntilAsync(Timestamp until, CancellationToken cancellationToken)
    {
        _stats.LeaseWait();
        // Timers may fire a tick early; the wait is the safety argument, so it is checked, not assumed.
        // Delays are rounded up to whole milliseconds: a timer drops anything shorter to nothing, and the
        // loop would spin on it.
        TimeSpan remaining;
        while ((remaining = _time.TimeUntil(until)) > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), _time, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var outbox in _outboxes.Values)
        {
            await outbox.DisposeAsync();
        }
    }
}
