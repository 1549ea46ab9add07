using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// What this node holds as the backup of one owner, and the custody it grants that owner. While the owner
/// renews custody, only it flushes. When it stops (it crashed, or cannot reach this node), this node stops
/// granting, waits until the last custody it granted has run out and a database timeout more (so any
/// flush the owner sent has landed), then flushes the owner's dirty entries itself ("orphans"). The owner
/// must recover before it is served again: that stops the orphan flushing and hands back what is left.
/// A new run of the owner has lost what its earlier run held, so after handing the entries to it this
/// node may be their only holder until that run shows it has them. Unless it does so before the dead
/// run's custody and the fence have run out, this node flushes them itself then (see <see cref="RecoverAsync"/>).
/// </summary>
internal sealed class OwnerShelf
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _recovery = new(1, 1);
    private readonly Dictionary<RawJson, ShelfEntry> _entries = [];
    private readonly string _owner;
    private readonly ShelfContext _context;
    private readonly long _ownIncarnation;
    private readonly Timestamp _firstGrantAt;
    private long _knownIncarnation;
    private Timestamp _lastGrantedAt;
    private bool _earlierRunSeen;
    private CustodyState _state = CustodyState.Granting;
    private Timestamp _fenceUntil;
    private long _handedTo;
    private WriteBehindFlusher? _orphanFlusher;

    public OwnerShelf(string owner, long ownIncarnation, ShelfContext context)
    {
        _owner = owner;
        _ownIncarnation = ownIncarnation;
        _context = context;
        // This node cannot know what custody an earlier run of it granted: it counts the owner as granted
        // at its start, so it never flushes anything of the owner's before that could have run out.
        var now = context.Time.Now();
        _lastGrantedAt = now;
        // Nor whether that run was flushing the owner's entries when it crashed: such a write may land for
        // up to a database timeout. So once an owner shows there was an earlier run (it addresses one),
        // it gets no custody, and flushes nothing this node backs up, until then.
        _firstGrantAt = now + context.FenceTicks;
    }

    public int DirtyCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Count(entry => entry.State == ShelfState.Dirty);
            }
        }
    }

    /// <summary>
    /// Whether this node is (or may be about to be) flushing the owner's entries and has some left; also
    /// while entries handed to a new run of the owner are not confirmed, as this node may be their only holder.
    /// </summary>
    public bool HasOrphans
    {
        get
        {
            lock (_gate)
            {
                return (_state is CustodyState.Fencing or CustodyState.Orphaned || _handedTo != 0) && HasDirtyLocked();
            }
        }
    }

    /// <summary>Takes an owner's copies (if addressed to this run) and drops, and renews its custody; or refuses.</summary>
    public BackupVerdict Apply(long incarnation, long addressedTo, BackupEntry?[]? entries, FlushedEntry?[]? flushed)
    {
        var now = _context.Time.Now();
        lock (_gate)
        {
            if (incarnation < _knownIncarnation)
            {
                return BackupVerdict.Refused(ErrorCode.TemporarilyUnavailable, $"{_owner} has restarted since this message was sent");
            }

            if (_state != CustodyState.Granting)
            {
                return BackupVerdict.Refused(ErrorCode.RecoverFirst, $"{_owner} was unreachable and this node is flushing its entries: recover first");
            }

            if (incarnation > _knownIncarnation)
            {
                // A new run of the owner: it may only skip recovery if there was nothing to give back.
                if (_entries.Values.Any(entry => entry.State != ShelfState.Dropped))
                {
                    return BackupVerdict.Refused(ErrorCode.RecoverFirst, $"this node holds entries of an earlier run of {_owner}: recover first");
                }

                _knownIncarnation = incarnation;
            }

            // Drops are true whichever run of this node they were meant for: that version is in the database.
            foreach (var drop in flushed ?? [])
            {
                if (drop is null)
                {
                    continue;
                }

                if (!_entries.TryGetValue(drop.Key, out var existing) || existing.Version <= drop.Version)
                {
                    _entries[drop.Key] = new ShelfEntry(ShelfState.Dropped, default, drop.Version, now + _context.DroppedTtlTicks);
                }
            }

            // A copy sent to an earlier run of this node may arrive after that run dropped its version:
            // only copies addressed to this run (or sent before the owner knew any) are taken.
            var stored = addressedTo == 0 || addressedTo == _ownIncarnation;
            _earlierRunSeen |= !stored;
            if (stored)
            {
                foreach (var entry in entries ?? [])
                {
                    // Copies may arrive out of order: only a newer version replaces what is here, and a
                    // dropped record turns away the older copies that arrive after it.
                    if (entry is not null && (!_entries.TryGetValue(entry.Key, out var existing) || existing.Version < entry.Version))
                    {
                        _entries[entry.Key] = new ShelfEntry(ShelfState.Dirty, entry.Value, entry.Version);
                    }
                }
            }

            // A message from the run the entries were handed to, addressed to this run: that run had the
            // handover (it learns this run from it, and copies nothing before it) and holds them now.
            if (_handedTo != 0 && incarnation == _handedTo && addressedTo == _ownIncarnation)
            {
                _handedTo = 0;
            }

            if (_handedTo != 0)
            {
                // Not shown yet that the owner holds the entries: nothing here extends the time before
                // this node flushes them itself, so no custody is granted either.
                return new BackupVerdict(true, Custody: false, stored, null);
            }

            // Heard from the owner: counted as granted even while no custody is given yet, which only
            // makes this node wait longer before it would flush the owner's entries itself.
            _lastGrantedAt = now;
            // In a fresh cluster no owner knew an earlier run (it addresses none), and custody comes at
            // once. An owner that started after an earlier run of this node died, without ever hearing
            // from it, would take a second failure at the same time.
            return new BackupVerdict(true, Custody: !_earlierRunSeen || now >= _firstGrantAt, stored, null);
        }
    }

    /// <summary>
    /// The owner takes back what this node holds: orphan flushing stops (its writes in flight end first),
    /// and the owner gets the dirty copies and the versions flushed here.
    /// </summary>
    /// <remarks>
    /// A new run of the owner holds nothing of its earlier run's, so once the entries are handed to it,
    /// they may be nowhere else until it shows it got them (a message from it addressed to this run). If
    /// the answer is lost (a one-way partition) and it keeps asking, no ask may put off this node's own
    /// flushing, or one copy would outlive the partition and die with this node. So a handover to a new
    /// run counts as no grant: once the dead run's last custody and the fence have run out, this node
    /// flushes the entries and refuses recovery (error 11) until they are in the database. The window
    /// in which an acked write has one copy after its owner's crash is then that and no longer.
    /// </remarks>
    /// <returns>The copies and flushed versions; null if that run of the owner is over.</returns>
    /// <exception cref="NodeErrorException">Error 11 while this node flushes entries handed to a run that never confirmed them.</exception>
    public async Task<(BackupEntry[] Entries, FlushedEntry[] Flushed)?> RecoverAsync(long incarnation, CancellationToken cancellationToken)
    {
        await _recovery.WaitAsync(cancellationToken);
        try
        {
            WriteBehindFlusher? orphanFlusher;
            bool restarted;
            lock (_gate)
            {
                if (incarnation < _knownIncarnation)
                {
                    return null;
                }

                restarted = incarnation > _knownIncarnation;
                _knownIncarnation = incarnation;
                if (_handedTo != 0 && _state is CustodyState.Fencing or CustodyState.Orphaned && HasDirtyLocked())
                {
                    throw NodeErrorException.Unavailable($"{_owner} never confirmed the entries handed to it: this node is flushing them, recover when done");
                }

                // From here no tick may start (or restart) orphan flushing, and no copy is taken, until
                // the owner has what is here.
                if (_state != CustodyState.Granting)
                {
                    _context.Log.Info($"{_owner} is back: this node stops flushing its entries");
                }

                _state = CustodyState.Recovering;
                orphanFlusher = _orphanFlusher;
                _orphanFlusher = null;
            }

            if (orphanFlusher is not null)
            {
                try
                {
                    await orphanFlusher.StopAsync();
                    await orphanFlusher.DisposeAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A loop that failed has no writes in flight either: recovery goes on.
                    _context.Log.Warn($"orphan flushing for {_owner} had failed: {ex.Message}");
                }
            }

            lock (_gate)
            {
                _state = CustodyState.Granting;
                var dirty = _entries.Where(pair => pair.Value.State == ShelfState.Dirty)
                    .Select(pair => new BackupEntry(pair.Key, pair.Value.Value, pair.Value.Version))
                    .ToArray();
                var flushedHere = _entries.Where(pair => pair.Value.State == ShelfState.FlushedHere)
                    .Select(pair => new FlushedEntry(pair.Key, pair.Value.Version))
                    .ToArray();
                if (dirty.Length == 0 || (_handedTo == 0 && !restarted))
                {
                    // Nothing here that only this node may hold (the same run still has its own dirty
                    // entries): counted as granted now, so the owner has a full lease's time to take custody.
                    _handedTo = 0;
                    _lastGrantedAt = _context.Time.Now();
                }
                else
                {
                    // The entries of a run that died, handed to a new run that has not shown it got them:
                    // the clock of the dead run's last custody runs on. If the new run confirms before it
                    // runs out, it keeps them; if not, this node flushes them as soon as that is safe.
                    _handedTo = incarnation;
                }

                return (dirty, flushedHere);
            }
        }
        finally
        {
            _recovery.Release();
        }
    }

    /// <summary>Forgets old drop records, and moves towards flushing the owner's entries when it stopped renewing custody.</summary>
    public void Tick()
    {
        var now = _context.Time.Now();
        lock (_gate)
        {
            foreach (var expired in _entries.Where(pair => pair.Value.State == ShelfState.Dropped && pair.Value.ExpiresAt <= now).Select(pair => pair.Key).ToList())
            {
                _entries.Remove(expired);
            }

            var hasDirty = HasDirtyLocked();
            switch (_state)
            {
                case CustodyState.Granting when hasDirty && now > _lastGrantedAt + _context.GrantedForTicks:
                    _state = CustodyState.Fencing;
                    _fenceUntil = _lastGrantedAt + _context.GrantedForTicks + _context.FenceTicks;
                    _context.Log.Info($"{_owner} stopped renewing custody: its entries are flushed here unless it recovers first");
                    break;
                case CustodyState.Fencing when now >= _fenceUntil:
                    _state = CustodyState.Orphaned;
                    _orphanFlusher = StartOrphanFlusher();
                    break;
                case CustodyState.Orphaned when hasDirty && _orphanFlusher is { Completion.IsCompleted: true }:
                    // The loop ended (it failed) with entries left: a new one takes them.
                    _context.Log.Warn($"orphan flushing for {_owner} stopped with entries left: starting it again");
                    _ = _orphanFlusher.DisposeAsync().AsTask();
                    _orphanFlusher = StartOrphanFlusher();
                    break;
            }
        }
    }

    // Under _gate.
    private bool HasDirtyLocked() => _entries.Values.Any(entry => entry.State == ShelfState.Dirty);

    // Under _gate.
    private WriteBehindFlusher StartOrphanFlusher()
    {
        var buffer = new DirtyBuffer(int.MaxValue, _context.Time);
        var now = _context.Time.Now();
        foreach (var (key, entry) in _entries.Where(pair => pair.Value.State == ShelfState.Dirty))
        {
            buffer.TryStage(key, entry.Value, entry.Version, now, ticket: null);
        }

        _context.Log.Warn($"{_owner} is unreachable: flushing its {buffer.Count} dirty entries from this node");
        // No write delay: the owner is gone, nothing will coalesce.
        var options = _context.FlushOptions with { WriteDelay = TimeSpan.Zero };
        return new WriteBehindFlusher(buffer, new AsyncSignal(), _context.Database, options, _context.Services, OrphanFlushed);
    }

    private void OrphanFlushed(DirtySnapshot snapshot, WriteTicket? ticket)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(snapshot.Key, out var entry) && entry.State == ShelfState.Dirty && entry.Version == snapshot.Version)
            {
                _entries[snapshot.Key] = new ShelfEntry(ShelfState.FlushedHere, default, snapshot.Version);
                _context.Stats.OrphanFlush();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        WriteBehindFlusher? flusher;
        lock (_gate)
        {
            flusher = _orphanFlusher;
            _orphanFlusher = null;
        }

        if (flusher is not null)
        {
            await flusher.DisposeAsync();
        }
    }

    private enum CustodyState
    {
        /// <summary>The owner flushes its own entries while it renews custody.</summary>
        Granting,

        /// <summary>No more custody for the owner; waiting until what it had, and its flushes, have run out.</summary>
        Fencing,

        /// <summary>This node flushes the owner's entries until it recovers.</summary>
        Orphaned,

        /// <summary>The owner is taking back what is here: nothing starts, nothing is taken.</summary>
        Recovering,
    }
}

/// <summary>The answer to an owner's <c>backup</c>: taken (with or without custody, copies stored or not), or refused with a code.</summary>
internal readonly record struct BackupVerdict(bool Accepted, bool Custody, bool Stored, string? Reason, ErrorCode Code = ErrorCode.TemporarilyUnavailable)
{
    public static BackupVerdict Refused(ErrorCode code, string reason) => new(false, false, false, reason, code);
}

/// <summary>What every shelf of a node shares.</summary>
internal sealed record ShelfContext(
    IKeyValueDatabase Database,
    WriteBehindOptions FlushOptions,
    NodeServices Services,
    TickSpan GrantedForTicks,
    TickSpan FenceTicks,
    TickSpan DroppedTtlTicks)
{
    public TimeProvider Time => Services.Time;

    public NodeStats Stats => Services.Stats;

    public Log Log => Services.Log;
}
