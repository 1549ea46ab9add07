using System.Diagnostics;
using CacheNode.Cache;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// Write-behind's dirty entries: one per key (repeated writes coalesce), flushed oldest first, at most one
/// flush per key in flight so a key's values reach the database in order, kept until the database has the
/// newest one.
/// </summary>
internal sealed class DirtyBuffer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, DirtyEntry> _entries = [];
    // Keys waiting for a flush, in the order they became dirty. A key is here at most once, and not
    // while its flush is in flight.
    private readonly Queue<RawJson> _queue = new();
    // Keys whose last flush failed, each waiting out its own backoff: kept apart from the queue so a
    // key in backoff never holds back the keys behind it.
    private readonly List<RawJson> _retrying = [];
    private readonly int _capacity;
    // How soon a key this node may not flush yet is looked at again (50 ms).
    private readonly TickSpan _parkedRecheck;
    private long _lastSequence;
    private TaskCompletionSource _progress = NewSignal();
    private bool _closed;

    public DirtyBuffer(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _parkedRecheck = new(time.TimestampFrequency / 20);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Sequence number of the newest write staged so far.</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>
    /// Stages a write of <paramref name="version"/> (higher than any earlier write of the key).
    /// <paramref name="ticket"/> is kept (and stays in progress) only when the key becomes dirty.
    /// </summary>
    public StageResult TryStage(RawJson key, RawJson value, long version, Timestamp now, WriteTicket? ticket)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return StageResult.Closed;
            }

            if (_entries.TryGetValue(key, out var entry))
            {
                // Only a newer version replaces the entry. The entry can hold this very version already
                // (recovery took back the copy of this write from the backup while the write's own
                // confirmation was on its way): it is the same write, and it keeps its version. Never make
                // a version up: the backup holds the value under the one the write took, and the next
                // write takes the next one (an independent review's lost-write history).
                AssertSameWrite(entry, value, version);
                if (version > entry.Version)
                {
                    Supersede(entry, value, version, now);
                }

                return StageResult.Coalesced;
            }

            if (_entries.Count >= _capacity)
            {
                return StageResult.Full;
            }

            Add(key, value, version, now, ticket);
            return StageResult.Staged;
        }
    }

    /// <summary>
    /// Takes in an entry another node held for this one (recovery), whatever the capacity: it was acked
    /// long ago. Ignored when the buffer already has that version or a newer one.
    /// </summary>
    /// <returns>What became of it; unless <see cref="AdoptOutcome.Added"/>, the caller ends <paramref name="ticket"/>.</returns>
    public AdoptOutcome Adopt(RawJson key, RawJson value, long version, Timestamp now, WriteTicket? ticket)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                AssertSameWrite(entry, value, version);
                if (entry.Version >= version)
                {
                    return AdoptOutcome.Kept;
                }

                Supersede(entry, value, version, now);
                return AdoptOutcome.Superseded;
            }

            Add(key, value, version, now, ticket);
            Signal();
            return AdoptOutcome.Added;
        }
    }

    // A version names one write: two values under one version would mean one was made up, and a drop of
    // that version could then erase the copy of the other. (Compared canonical: a copy that came back from
    // a backup through Maelstrom may be spelled differently.)
    [Conditional("DEBUG")]
    private static void AssertSameWrite(DirtyEntry entry, RawJson value, long version) =>
        Debug.Assert(
            entry.Version != version || CanonicalKey.Of(entry.Value) == CanonicalKey.Of(value),
            $"version {version} of a key staged with two values");

    /// <summary>
    /// Drops the key's entry if its version is <paramref name="throughVersion"/> or older: that version, or a
    /// newer one, reached the database another way (a backup flushed it).
    /// </summary>
    /// <returns>Whether an entry went, and its ticket.</returns>
    public (bool Removed, WriteTicket? Ticket) Forget(RawJson key, long throughVersion)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Version > throughVersion)
            {
                return (false, null);
            }

            _entries.Remove(key);
            Signal();
            return (true, entry.Ticket);
        }
    }

    /// <summary>Gives the key's entry a higher version, its value unchanged (see <see cref="ReplicatedBuffer.Renumber"/>).</summary>
    /// <returns>False when the key is not dirty.</returns>
    public bool Renumber(RawJson key, long version, Timestamp now)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }

            if (version > entry.Version)
            {
                Supersede(entry, entry.Value, version, now);
            }

            return true;
        }
    }

    /// <summary>The newest value and version of every dirty key that <paramref name="filter"/> picks.</summary>
    public List<DirtySnapshot> Snapshot(Func<RawJson, bool> filter)
    {
        lock (_gate)
        {
            return _entries.Where(pair => filter(pair.Key)).Select(pair => new DirtySnapshot(pair.Key, pair.Value.Value, pair.Value.Version)).ToList();
        }
    }

    /// <summary>When the oldest unflushed write was staged, or null when nothing is dirty.</summary>
    public Timestamp? OldestDirtySince
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count == 0 ? null : _entries.Values.Min(entry => entry.DirtySince);
            }
        }
    }

    public bool TryGet(RawJson key, out RawJson value)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> keys whose write delay has passed (all waiting keys when
    /// <paramref name="urgent"/>) and marks them in flight.
    /// </summary>
    /// <param name="nextDueAt">When nothing more is due: when the next key will be, or <see cref="Timestamp.Never"/>.</param>
    /// <param name="mayFlush">Whether this node may write the key to the database now (an owner needs custody from the key's backup); keys it refuses wait apart.</param>
    public List<DirtySnapshot> TakeDue(int max, Timestamp now, TickSpan delay, bool urgent, Func<RawJson, bool> mayFlush, out Timestamp nextDueAt)
    {
        var batch = new List<DirtySnapshot>();
        nextDueAt = Timestamp.Never;
        lock (_gate)
        {
            for (var i = _retrying.Count - 1; i >= 0 && batch.Count < max; i--)
            {
                var key = _retrying[i];
                // Forgotten, or re-staged after that and queued afresh: this place in the list is stale.
                if (!_entries.TryGetValue(key, out var entry) || entry.InFlight)
                {
                    _retrying.RemoveAt(i);
                    continue;
                }

                if (entry.RetryAt > now)
                {
                    nextDueAt = Timestamp.Min(nextDueAt, entry.RetryAt);
                    continue;
                }

                if (!mayFlush(key))
                {
                    nextDueAt = Timestamp.Min(nextDueAt, now + _parkedRecheck);
                    continue;
                }

                _retrying.RemoveAt(i);
                batch.Add(TakeForFlush(key, entry));
            }

            // The queue is in the order keys became dirty, which is the order their delays run out.
            while (batch.Count < max && _queue.TryPeek(out var key))
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.InFlight)
                {
                    // Stale place (see above): at most one flush per key is ever in flight.
                    _queue.Dequeue();
                    continue;
                }

                var dueAt = urgent ? entry.DirtySince : entry.DirtySince + delay;
                if (dueAt > now)
                {
                    nextDueAt = Timestamp.Min(nextDueAt, dueAt);
                    break;
                }

                _queue.Dequeue();
                if (!mayFlush(key))
                {
                    // Not now (no custody): it waits with the retries, which are checked first next time.
                    entry.RetryAt = Timestamp.LongAgo;
                    _retrying.Add(key);
                    nextDueAt = Timestamp.Min(nextDueAt, now + _parkedRecheck);
                    continue;
                }

                batch.Add(TakeForFlush(key, entry));
            }
        }

        return batch;
    }

    private static DirtySnapshot TakeForFlush(RawJson key, DirtyEntry entry)
    {
        entry.InFlight = true;
        entry.WrittenDuringFlushSequence = 0;
        return new DirtySnapshot(key, entry.Value, entry.Version, entry.DirtySince, entry.Generation);
    }

    /// <summary>Whether a write of <paramref name="key"/> would find a place now (it is dirty already, or the buffer is not full).</summary>
    public bool HasRoomFor(RawJson key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key) || _entries.Count < _capacity;
        }
    }

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Takes no more writes: from here on <see cref="TryStage"/> answers <see cref="StageResult.Closed"/>.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    /// <summary>Records a flush's outcome: a flushed entry leaves unless it was rewritten meanwhile; a failed one waits until <paramref name="retryAt"/>.</summary>
    /// <returns>Whether the entry left (its newest value is in the database now), and its write ticket.</returns>
    public (bool Removed, WriteTicket? Ticket) Complete(DirtySnapshot snapshot, bool succeeded, Timestamp retryAt)
    {
        (bool Removed, WriteTicket? Ticket) flushed = (false, null);
        lock (_gate)
        {
            if (!_entries.TryGetValue(snapshot.Key, out var entry) || entry.Generation != snapshot.Generation)
            {
                // Forgotten meanwhile (a newer version reached the database another way), and perhaps
                // dirty again since in a new entry whose own flush this outcome says nothing about.
                return flushed;
            }

            entry.InFlight = false;
            if (succeeded)
            {
                entry.Failures = 0;
                entry.RetryAt = Timestamp.LongAgo;
                if (entry.Version == snapshot.Version)
                {
                    _entries.Remove(snapshot.Key);
                    flushed = (true, entry.Ticket);
                }
                else
                {
                    // Newer writes arrived during the flush: they are what is still unflushed.
                    entry.FirstUnflushedSequence = entry.WrittenDuringFlushSequence;
                    entry.DirtySince = entry.WrittenDuringFlushAt;
                    _queue.Enqueue(snapshot.Key);
                }
            }
            else
            {
                entry.Failures++;
                entry.RetryAt = retryAt;
                _retrying.Add(snapshot.Key);
            }

            Signal();
        }

        return flushed;
    }

    /// <summary>How many times in a row the key's flush has failed.</summary>
    public int FailuresOf(RawJson key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.Failures : 0;
        }
    }

    /// <summary>Waits until every write with a sequence number up to <paramref name="sequence"/> is in the database.</summary>
    public async Task WaitFlushedThroughAsync(long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (!_entries.Values.Any(entry => entry.FirstUnflushedSequence <= sequence))
                {
                    return;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken);
        }
    }

    // Under _gate. A new entry: its creation sequence, unique, is its generation.
    private void Add(RawJson key, RawJson value, long version, Timestamp now, WriteTicket? ticket)
    {
        _entries.Add(key, new DirtyEntry(value, version, ++_lastSequence, now, ticket));
        _queue.Enqueue(key);
    }

    // Under _gate: a newer write (or version) replaces the entry's; if a flush of it is in flight, that
    // flush now writes an older version, and the entry stays dirty after it.
    private void Supersede(DirtyEntry entry, RawJson value, long version, Timestamp now)
    {
        var sequence = ++_lastSequence;
        entry.Value = value;
        entry.Version = version;
        if (entry.InFlight && entry.WrittenDuringFlushSequence == 0)
        {
            entry.WrittenDuringFlushSequence = sequence;
            entry.WrittenDuringFlushAt = now;
        }
    }

    // Under _gate: wakes whoever waits in WaitFlushedThroughAsync.
    private void Signal()
    {
        var progress = _progress;
        _progress = NewSignal();
        progress.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
