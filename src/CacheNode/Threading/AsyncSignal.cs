namespace CacheNode.Threading;

/// <summary>
/// A wake-up latch for one waiting loop: any number of <see cref="Set"/> calls before the loop looks
/// again count as one, and nothing is lost if the loop was busy when it was set.
/// </summary>
internal sealed class AsyncSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount != 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another thread set it first: one wake-up is all the loop needs.
        }
        catch (ObjectDisposedException)
        {
            // The loop has stopped for good: there is nothing left to wake.
        }
    }

    /// <summary>Waits until set (and resets), or until <paramref name="timeout"/>; false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public Task WaitAsync(CancellationToken cancellationToken = default) => _semaphore.WaitAsync(cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
