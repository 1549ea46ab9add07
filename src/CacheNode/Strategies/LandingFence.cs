namespace CacheNode.Strategies;

/// <summary>
/// How long after an unanswered database write its key stays "being written" (nothing installs it,
/// nothing grants a lease on it). A write whose reply timed out may still land: within the database
/// timeout of leaving the process, which can be later than the request was queued (a paused process, a
/// slow stdout). Ending the write at once would let a fill install the old value under the late one.
/// </summary>
internal sealed class LandingFence
{
    private readonly TimeSpan _fence;
    private readonly TimeProvider? _time;

    /// <param name="fence">The database timeout plus the drift margin, counted from when the write gave up.</param>
    public LandingFence(TimeSpan fence, TimeProvider time)
    {
        _fence = fence;
        _time = time;
    }

    private LandingFence()
    {
    }

    /// <summary>A database inside the process (the local store): a write that returned has landed or never will.</summary>
    public static LandingFence None { get; } = new();

    /// <summary>Runs <paramref name="endWrite"/> once a write that may still be on its way must have landed.</summary>
    public void AfterLanding(Action endWrite)
    {
        if (_time is null || _fence <= TimeSpan.Zero)
        {
            endWrite();
            return;
        }

        _ = EndLaterAsync(endWrite);
    }

    private async Task EndLaterAsync(Action endWrite)
    {
        await Task.Delay(_fence, _time!, CancellationToken.None);
        endWrite();
    }
}
