using CacheNode.Cache;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

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
    private long _lastSequence;
    private TaskCompletionSource _progress = NewSignal();
    private bool _closed;

    public DirtyBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
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

    /// <summary>Stages a write. <paramref name="ticket"/> is kept (and stays in progress) only when the key becomes dirty.</summary>
    public StageResult TryStage(RawJson key, RawJson value, long now, WriteTicket ticket)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return StageResult.Closed;
            }

            if (_entries.TryGetValue(key, out var entry))
            {
                var sequence = ++_lastSequence;
                entry.Value = value;
                entry.Version++;
                if (entry.InFlight && entry.WrittenDuringFlushSequence == 0)
                {
                    entry.WrittenDuringFlushSequence = sequence;
                    entry.WrittenDuringFlushAt = now;
                }

                return StageResult.Coalesced;
            }

            if (_entries.Count >= _capacity)
            {
                return StageResult.Full;
            }

            _entries.Add(key, new DirtyEntry(value, ++_lastSequence, now, ticket));
            _queue.Enqueue(key);
            return StageResult.Staged;
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
    /// <param name="nextDueAt">When nothing more is due: the timestamp at which the next key will be, or <see cref="long.MaxValue"/>.</param>
    public List<DirtySnapshot> TakeDue(int max, long now, long delayTicks, bool urgent, out long nextDueAt)
    {
        var batch = new List<DirtySnapshot>();
        nextDueAt = long.MaxValue;
        lock (_gate)
        {
            for (var i = _retrying.Count - 1; i >= 0 && batch.Count < max; i--)
            {
                var key = _retrying[i];
                var entry = _entries[key];
                if (entry.RetryAt > now)
                {
                    nextDueAt = Math.Min(nextDueAt, entry.RetryAt);
                    continue;
                }

                _retrying.RemoveAt(i);
                entry.InFlight = true;
                entry.WrittenDuringFlushSequence = 0;
                batch.Add(new DirtySnapshot(key, entry.Value, entry.Version));
            }

            // The queue is in the order keys became dirty, which is the order their delays run out.
            while (batch.Count < max && _queue.TryPeek(out var key))
            {
                var entry = _entries[key];
                var dueAt = urgent ? entry.DirtySince : entry.DirtySince + delayTicks;
                if (dueAt > now)
                {
                    nextDueAt = Math.Min(nextDueAt, dueAt);
                    break;
                }

                _queue.Dequeue();
                entry.InFlight = true;
                entry.WrittenDuringFlushSequence = 0;
                batch.Add(new DirtySnapshot(key, entry.Value, entry.Version));
            }
        }

        return batch;
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
    /// <returns>The write ticket of an entry that left (its value is in the database now), else null.</returns>
    public WriteTicket? Complete(DirtySnapshot snapshot, bool succeeded, long retryAt)
    {
        WriteTicket? flushed = null;
        lock (_gate)
        {
            var entry = _entries[snapshot.Key];
            entry.InFlight = false;
            if (succeeded)
            {
                entry.Failures = 0;
                entry.RetryAt = 0;
                if (entry.Version == snapshot.Version)
                {
                    _entries.Remove(snapshot.Key);
                    flushed = entry.Ticket;
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

            var progress = _progress;
            _progress = NewSignal();
            progress.TrySetResult();
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
