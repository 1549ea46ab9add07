namespace CacheNode.Threading;

/// <summary>
/// A loop that runs on the thread pool from <see cref="Start"/> until disposed. Disposing cancels its
/// token and waits for it to finish; the cancellation it asked for is not an error.
/// </summary>
internal sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<CancellationToken, Task> _body;
    private Task? _running;

    public BackgroundLoop(Func<CancellationToken, Task> body)
    {
        _body = body;
    }

    /// <summary>Completes when the loop has ended (on its own, or because it was disposed).</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    /// <summary>Starts the loop once; later calls do nothing.</summary>
    public BackgroundLoop Start()
    {
        _running ??= Task.Run(() => _body(_stop.Token));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
                // Stopping is the point.
            }
        }

        _stop.Dispose();
    }
}
