namespace CacheNode.Hosting;

/// <summary>Counts requests whose handlers are still running, so shutdown can let them finish.</summary>
internal sealed class InFlightRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Begin() => Interlocked.Increment(ref _count);

    public void End() => Interlocked.Decrement(ref _count);

    /// <summary>Waits until none are running or <paramref name="budget"/> passes; returns how many remain.</summary>
    public async Task<int> WaitIdleAsync(TimeSpan budget, TimeProvider time)
    {
        // Shutdown-only path: a short poll is simpler than a signal on every request's hot path.
        var started = time.GetTimestamp();
        while (Count > 0 && time.GetElapsedTime(started) < budget)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), time);
        }

        return Count;
    }
}
