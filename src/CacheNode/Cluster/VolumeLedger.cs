using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cluster;

/// <summary>
/// A home's volume leases (Yin et al., 1999): per peer, until when the peer may serve any copy of this
/// node's keys (on this node's clock), and the <em>drop list</em> of keys revoked from it that it has not
/// acknowledged. A peer serves a copy only while its key lease and its volume lease are both valid, so a
/// write waits out an unanswering holder only until its volume lease ends, however long the key lease.
/// </summary>
/// <remarks>
/// Every message that extends a volume carries the peer's drop list, composed in the same step as the
/// grant is recorded, and a revocation is appended in the same step as its deadline is taken: so a volume
/// granted after a revocation began always carries it, and the holder applies it before it serves again.
/// Entries are numbered per peer within this run; the peer acknowledges the highest one it applied, and
/// an entry goes only on such an acknowledgement (or the holder's <c>revoke_ok</c>, or once the key lease
/// it revoked is over).
/// </remarks>
internal sealed class VolumeLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PeerVolume> _peers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TickSpan _grantedFor;
    private readonly TimeSpan _volumeLength;
    // A peer that never renews again (it crashed, or is cut off) never acknowledges its drops: its list is
    // swept of entries whose key lease is over whenever it has doubled since the last sweep.
    private const int FirstSweepAt = 64;

    /// <param name="run">This run of the node: acknowledgements naming another run are ignored.</param>
    public VolumeLedger(long run, LeaseTiming timing, TimeProvider time)
    {
        Run = run;
        _time = time;
        _grantedFor = time.SpanRoundedUp(timing.GrantedFor);
        _volumeLength = timing.Lease;
    }

    public long Run { get; }

    /// <summary>
    /// Starts revoking <paramref name="key"/> from <paramref name="holder"/>: appends it to the peer's drop
    /// list and says how long the write must wait for an acknowledgement at most.
    /// </summary>
    public PendingDrop BeginRevoke(RawJson key, Holder holder)
    {
        lock (_gate)
        {
            var peer = PeerOf(holder.Peer);
            var entry = new DropEntry(++peer.LastSeq, key, holder.Until);
            peer.Drops.Add(entry);
            if (peer.Drops.Count >= peer.SweepAt)
            {
                var now = _time.Now();
                peer.Drops.RemoveAll(d => d.KeyLeaseUntil <= now);
                peer.SweepAt = Math.Max(FirstSweepAt, 2 * peer.Drops.Count);
            }

            // Until the volume granted so far ends (no later grant goes without this entry), and never
            // past the key lease itself.
            return new PendingDrop(holder.Peer, entry.Seq, Timestamp.Min(peer.VolumeUntil, holder.Until));
        }
    }

    /// <summary>Whether the peer has applied drop <paramref name="seq"/> (acknowledged it, or it was pruned).</summary>
    public bool HasApplied(string peer, long seq)
    {
        lock (_gate)
        {
            return PeerOf(peer).Acked >= seq || !PeerOf(peer).Drops.Exists(d => d.Seq == seq);
        }
    }

    /// <summary>
    /// Extends the peer's volume (it asked at some moment before now) and composes what goes with it: this
    /// run, every entry above what the peer acknowledged, and the highest entry number. One step.
    /// </summary>
    /// <param name="ackedRun">The run the peer's acknowledgement is about; another run's acknowledges nothing.</param>
    /// <param name="ackedSeq">The highest entry the peer has applied in <paramref name="ackedRun"/>.</param>
    /// <returns>The grant, and the entries the acknowledgement pruned (their holder records can go).</returns>
    public (VolumeGrant Grant, IReadOnlyList<DropEntry> Pruned) Grant(string peer, long ackedRun, long ackedSeq)
    {
        var now = _time.Now();
        lock (_gate)
        {
            var volume = PeerOf(peer);
            var pruned = ackedRun == Run ? Acknowledge(volume, ackedSeq) : [];
            // A peer that reads nothing of this node's keys acknowledges nothing: what it could not be
            // serving anyway is not sent again.
            volume.Drops.RemoveAll(d => d.KeyLeaseUntil <= now);
            volume.VolumeUntil = Timestamp.Max(volume.VolumeUntil, now + _grantedFor);
            return (new VolumeGrant(Run, [.. volume.Drops], volume.LastSeq, _volumeLength), pruned);
        }
    }

    /// <summary>The peer acknowledged a <c>revoke</c> of this entry: it dropped the key.</summary>
    public void RevokeAcknowledged(string peer, long seq)
    {
        lock (_gate)
        {
            PeerOf(peer).Drops.RemoveAll(d => d.Seq == seq);
        }
    }

    /// <summary>The peer's drops not yet acknowledged (for tests and <c>stats</c>).</summary>
    public int PendingDrops(string peer)
    {
        lock (_gate)
        {
            return PeerOf(peer).Drops.Count;
        }
    }

    // Under the lock.
    private static List<DropEntry> Acknowledge(PeerVolume volume, long ackedSeq)
    {
        // An acknowledgement above anything sent is a bug or a forgery: it acknowledges what was sent.
        var acked = Math.Min(ackedSeq, volume.LastSeq);
        if (acked <= volume.Acked)
        {
            return [];
        }

        volume.Acked = acked;
        var pruned = volume.Drops.Where(d => d.Seq <= acked).ToList();
        volume.Drops.RemoveAll(d => d.Seq <= acked);
        return pruned;
    }

    // Under the lock.
    private PeerVolume PeerOf(string peer)
    {
        if (!_peers.TryGetValue(peer, out var volume))
        {
            volume = new PeerVolume();
            _peers.Add(peer, volume);
        }

        return volume;
    }

    private sealed class PeerVolume
    {
        public Timestamp VolumeUntil { get; set; } = Timestamp.LongAgo;

        public long LastSeq { get; set; }

        public long Acked { get; set; }

        public int SweepAt { get; set; } = FirstSweepAt;

        public List<DropEntry> Drops { get; } = [];
    }
}

/// <summary>A key revoked from a peer that has not acknowledged it; <paramref name="KeyLeaseUntil"/> names the grant it revokes.</summary>
internal readonly record struct DropEntry(long Seq, RawJson Key, Timestamp KeyLeaseUntil);

/// <summary>A revocation under way: done once the peer applied <paramref name="Seq"/>, or at <paramref name="WaitUntil"/> regardless.</summary>
internal readonly record struct PendingDrop(string Peer, long Seq, Timestamp WaitUntil);

/// <summary>
/// What goes with an extended volume: this run, the peer's unacknowledged drops, the highest entry number,
/// and how long the home counts the volume for (the holder holds it no longer, whatever its own setting).
/// </summary>
internal sealed record VolumeGrant(long Run, IReadOnlyList<DropEntry> Drops, long LastSeq, TimeSpan Length);
