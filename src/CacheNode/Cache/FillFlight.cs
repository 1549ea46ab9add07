using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>
/// One in-flight database read for a key, shared by every reader that misses meanwhile. It remembers
/// the key's epoch when it started: if the epoch moved (a write or invalidation happened), the result is
/// not installed.
/// </summary>
internal sealed class FillFlight
{
    private readonly TaskCompletionSource<FillOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FillFlight(RawJson key, long epoch, Timestamp startedAt, bool isRefresh)
    {
        Key = key;
        Epoch = epoch;
        StartedAt = startedAt;
        IsRefresh = isRefresh;
    }

    public RawJson Key { get; }

    public long Epoch { get; }

    public Timestamp StartedAt { get; }

    /// <summary>A background early refresh (XFetch) rather than a miss.</summary>
    public bool IsRefresh { get; }

    public Task<FillOutcome> Completion => _completion.Task;

    public void Complete(FillOutcome outcome) => _completion.TrySetResult(outcome);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
