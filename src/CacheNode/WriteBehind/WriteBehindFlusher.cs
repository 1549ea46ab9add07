using CacheNode.Cache;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>
/// The background loop that moves dirty entries to the database: it waits out each entry's write delay
/// (so repeated writes coalesce), writes a batch with a bounded number in flight, and retries failures
/// with exponential backoff and jitter. Nothing leaves the buffer until the database acknowledged it.
/// </summary>
internal sealed class WriteBehindFlusher : IAsyncDisposable
{
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly DirtyBuffer _buffer;
    private readonly IKeyValueDatabase _database;
    private readonly WriteBehindOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeStats _stats;
    private readonly Log _log;
    private readonly Action<DirtySnapshot, WriteTicket?> _onFlushed;
    private readonly Func<RawJson, bool> _mayFlush;
    private readonly AsyncSignal _wake;
    private readonly TickSpan _writeDelay;
    private readonly BackgroundLoop _loop;
    private int _urgentRequests;
    private volatile bool _draining;
    private volatile bool _stopping;

    /// <param name="wake">
    /// What the loop waits on for new work. Created before the flusher so that whatever changes the buffer
    /// (recovery, custody coming back) can wake it without holding the flusher; disposed with the flusher.
    /// </param>
    /// <param name="onFlushed">
    /// Called after each successful flush with what was written, and with the write's ticket when that was
    /// the key's newest value (the entry left the buffer).
    /// </param>
    /// <param name="mayFlush">Whether a key may be written now; one that may not waits (an owner without custody from its backup).</param>
    public WriteBehindFlusher(
        DirtyBuffer buffer,
        AsyncSignal wake,
        IKeyValueDatabase database,
        WriteBehindOptions options,
        NodeServices services,
        Action<DirtySnapshot, WriteTicket?> onFlushed,
        Func<RawJson, bool>? mayFlush = null)
    {
        _onFlushed = onFlushed;
        _mayFlush = mayFlush ?? (static _ => true);
        _buffer = buffer;
        _wake = wake;
        _database = database;
        _options = options;
        _time = services.Time;
        _stats = services.Stats;
        _log = services.Log;
        _writeDelay = _time.SpanRoundedDown(options.WriteDelay);
        _loop = new BackgroundLoop(RunAsync).Start();
    }

    /// <summary>Completes when the loop has ended (drained, stopped, disposed, or failed).</summary>
    public Task Completion => _loop.Completion;

    /// <summary>Tells the loop there may be new work (a key became dirty).</summary>
    public void Wake() => _wake.Set();

    /// <summary>Flushes without waiting out write delays until the returned scope is disposed (used by <c>flush</c>).</summary>
    public IDisposable Hurry()
    {
        Interlocked.Increment(ref _urgentRequests);
        Wake();
        return new HurryScope(this);
    }

    /// <summary>Flushes everything left, then stops; gives up after <paramref name="budget"/>.</summary>
    /// <returns>Dirty entries left unwritten.</returns>
    public async Task<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        _draining = true;
        // A write that arrives from now on gets error 11 instead of being acked and left behind.
        _buffer.Close();
        Wake();
        try
        {
            await _loop.Completion.WaitAsync(budget, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            _log.Error($"write-behind drain gave up after {budget.TotalMilliseconds:0} ms with {_buffer.Count} dirty entries unwritten");
        }

        return _buffer.Count;
    }

    /// <summary>
    /// Starts no more database writes and returns once those in flight have ended, each landed or timed out
    /// (so none can land later), leaving the rest in the buffer.
    /// </summary>
    public async Task StopAsync()
    {
        _stopping = true;
        Wake();
        await _loop.Completion;
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_stopping)
        {
            var now = _time.Now();
            var urgent = _draining || Volatile.Read(ref _urgentRequests) > 0;
            var batch = _buffer.TakeDue(_options.BatchSize, now, _writeDelay, urgent, _mayFlush, out var nextDueAt);
            if (batch.Count == 0)
            {
                if (_draining && _buffer.Count == 0)
                {
                    return;
                }

                var wait = nextDueAt == Timestamp.Never
                    ? Timeout.InfiniteTimeSpan
                    : _time.ToTimeSpan(nextDueAt - now) + TimeSpan.FromMilliseconds(1);
                await _wake.WaitAsync(wait, cancellationToken);
                continue;
            }

            var writes = new Task[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                writes[i] = FlushOneAsync(batch[i], cancellationToken);
            }

            await Task.WhenAll(writes);
        }
    }

    private async Task FlushOneAsync(DirtySnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            // Not cancelled by a stop: a write on its way must end (land or time out) before the stop returns.
            await _database.WriteAsync(snapshot.Key, snapshot.Value, cancellationToken);
            var (_, ticket) = _buffer.Complete(snapshot, succeeded: true, retryAt: Timestamp.LongAgo);
            _stats.FlushedEntry(_time.TimeSince(snapshot.DirtySince));
            _onFlushed(snapshot, ticket);
        }
        catch (Exception ex)
        {
            var failures = _buffer.FailuresOf(snapshot.Key) + 1;
            var retryAt = _time.Now() + _time.SpanRoundedDown(Backoff(failures));
            _buffer.Complete(snapshot, succeeded: false, retryAt);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _stats.FlushRetry();
            _log.Warn($"write-behind flush of {snapshot.Key} failed (attempt {failures}): {ex.Message}; retrying");
        }
    }

    // Exponential backoff with "equal jitter": half fixed, half random, so retries of many keys spread out.
    private static TimeSpan Backoff(int failures)
    {
        var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, BaseBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private sealed class HurryScope(WriteBehindFlusher owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._urgentRequests);
            }
        }
    }
}
