using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// An owner's view of one peer as the backup of some of its keys: whether it has taken back what that
/// peer held for it (recovery), until when it holds custody of those keys (may flush them), which run of
/// the peer holds its copies, and the flushed versions the peer has yet to hear about.
/// </summary>
internal sealed class BackupLink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, Drop> _drops = [];
    private readonly HashSet<RawJson> _recopies = [];
    private readonly TickSpan _restartFence;
    private readonly TimeProvider _time;
    private Timestamp _custodyUntil;
    private Timestamp _custodyNotBefore;
    private long _peerIncarnation;
    private bool _recovered;
    private bool _resyncNeeded;

    /// <param name="restartFence">How long after noticing that the peer restarted this owner flushes none of the keys it backs up.</param>
    public BackupLink(string peer, TickSpan restartFence, TimeProvider time)
    {
        Peer = peer;
        _restartFence = restartFence;
        _time = time;
    }

    public string Peer { get; }

    /// <summary>Whether this owner has taken back the peer's copies since it started (or since the peer flushed them itself).</summary>
    public bool Recovered
    {
        get
        {
            lock (_gate)
            {
                return _recovered;
            }
        }
    }

    /// <summary>
    /// Whether the keys the peer backs up may be served: recovered, and the peer's run known, so every
    /// copy names the run it is meant for (a copy addressed to no run would be taken by any later one).
    /// </summary>
    public bool Ready
    {
        get
        {
            lock (_gate)
            {
                return _recovered && _peerIncarnation != 0;
            }
        }
    }

    /// <summary>Whether every dirty entry the peer backs up must be sent to it again (it restarted and lost them).</summary>
    public bool ResyncNeeded
    {
        get
        {
            lock (_gate)
            {
                return _resyncNeeded;
            }
        }
    }

    /// <summary>The run of the peer this owner last heard from (0: none yet).</summary>
    public long PeerIncarnation
    {
        get
        {
            lock (_gate)
            {
                return _peerIncarnation;
            }
        }
    }

    /// <summary>Custody: whether this owner may write the peer's keys to the database at <paramref name="now"/>.</summary>
    public bool HoldsCustody(Timestamp now)
    {
        lock (_gate)
        {
            return _recovered && now < _custodyUntil && now >= _custodyNotBefore;
        }
    }

    /// <summary>The peer refused this owner's copies until it recovers (it flushed them itself, or knows a newer run of this node).</summary>
    public void MustRecover()
    {
        lock (_gate)
        {
            _recovered = false;
            _custodyUntil = Timestamp.LongAgo;
        }
    }

    public void RecoveredFrom(long peerIncarnation)
    {
        lock (_gate)
        {
            _recovered = true;
            ObserveLocked(peerIncarnation);
        }
    }

    /// <summary>Custody granted for a heartbeat sent at <paramref name="requestedAt"/>; replies out of order never shorten it.</summary>
    public void Granted(Timestamp requestedAt, TickSpan heldFor)
    {
        lock (_gate)
        {
            if (_recovered)
            {
                _custodyUntil = Timestamp.Max(_custodyUntil, requestedAt + heldFor);
            }
        }
    }

    /// <summary>Notes which run of the peer answered; a new run has lost every copy, so they are all sent again.</summary>
    /// <returns>True when the peer restarted since this owner last heard from it.</returns>
    public bool Observe(long peerIncarnation)
    {
        lock (_gate)
        {
            return ObserveLocked(peerIncarnation);
        }
    }

    /// <summary>A resync sent while the peer was <paramref name="peerIncarnation"/> was acknowledged by that same run.</summary>
    public void Resynced(long peerIncarnation)
    {
        lock (_gate)
        {
            if (_peerIncarnation == peerIncarnation)
            {
                _resyncNeeded = false;
            }
        }
    }

    /// <summary>Queues word that <paramref name="version"/> of the key is done with, for the next message to the peer.</summary>
    /// <param name="inDatabase">The version reached the database (false: its write was abandoned).</param>
    public void AddDrop(RawJson key, long version, bool inDatabase)
    {
        lock (_gate)
        {
            var drop = new Drop(key, version, inDatabase);
            if (_drops.TryGetValue(key, out var queued))
            {
                drop = queued.Version > version ? queued
                    : queued.Version < version ? drop
                    : drop with { InDatabase = inDatabase || queued.InDatabase };
            }

            _drops[key] = drop;
        }
    }

    /// <summary>Takes the queued drops for a message; <see cref="ReturnDrops"/> puts them back if it fails.</summary>
    public Drop[] TakeDrops(int max)
    {
        lock (_gate)
        {
            var taken = _drops.Values.Take(max).ToArray();
            foreach (var drop in taken)
            {
                _drops.Remove(drop.Key);
            }

            return taken;
        }
    }

    public void ReturnDrops(Drop[] drops)
    {
        foreach (var drop in drops)
        {
            AddDrop(drop.Key, drop.Version, drop.InDatabase);
        }
    }

    /// <summary>
    /// Whether recovery takes back the peer's copy of the key at <paramref name="version"/> as a dirty entry.
    /// Not if this owner already wrote that version, or a later one, to the database and the peer has yet
    /// to hear so: the drop stays queued. If the version was abandoned instead, the peer's copy is this
    /// owner's dirty entry again, so the queued drop goes (it would erase that copy).
    /// </summary>
    public bool TakesBack(RawJson key, long version)
    {
        lock (_gate)
        {
            if (!_drops.TryGetValue(key, out var queued) || queued.Version < version)
            {
                return true;
            }

            if (queued.InDatabase)
            {
                return false;
            }

            _drops.Remove(key);
            return true;
        }
    }

    /// <summary>The key's dirty entry must be copied to the peer again (under a new version) with the next heartbeat.</summary>
    public void Recopy(RawJson key)
    {
        lock (_gate)
        {
            _recopies.Add(key);
        }
    }

    /// <summary>
    /// The key's entry was just staged, its copy held by run <paramref name="heldBy"/> of the peer. If the
    /// peer has restarted since, the resync that copied this owner's dirty entries to its new run may have
    /// been taken before the entry was staged, and missed it: the key is copied again (true).
    /// </summary>
    public bool RecopyIfRestartedSince(RawJson key, long heldBy)
    {
        lock (_gate)
        {
            return _peerIncarnation > heldBy && _recopies.Add(key);
        }
    }

    /// <summary>Takes the keys to copy again; <see cref="ReturnRecopies"/> puts them back if the message fails.</summary>
    public RawJson[] TakeRecopies()
    {
        lock (_gate)
        {
            var taken = _recopies.ToArray();
            _recopies.Clear();
            return taken;
        }
    }

    public void ReturnRecopies(IEnumerable<RawJson> keys)
    {
        lock (_gate)
        {
            _recopies.UnionWith(keys);
        }
    }

    private bool ObserveLocked(long peerIncarnation)
    {
        var restarted = _peerIncarnation != 0 && peerIncarnation > _peerIncarnation;
        if (restarted)
        {
            _resyncNeeded = true;
            // The earlier run may have been flushing this owner's entries itself when it died, and such a
            // write may land for up to a database timeout after it was sent: before the death, so before
            // now. None of the keys it backs up is flushed here until then.
            _custodyNotBefore = Timestamp.Max(_custodyNotBefore, _time.Now() + _restartFence);
        }

        _peerIncarnation = Math.Max(_peerIncarnation, peerIncarnation);
        return restarted;
    }

}

/// <summary>A drop taken for a message to the backup: the key, the version, and whether it reached the database.</summary>
internal readonly record struct Drop(RawJson Key, long Version, bool InDatabase)
{
    public FlushedEntry ToMessage() => new(Key, Version);
}
