namespace CacheNode.WriteBehind;

/// <summary>Tuning of the write-behind flusher.</summary>
/// <param name="WriteDelay">How long a value may sit dirty before it is flushed (the coalescing window).</param>
/// <param name="BatchSize">How many database writes a flush round keeps in flight at once.</param>
/// <param name="QueueCapacity">How many distinct dirty keys may wait; rewriting a dirty key takes no new place.</param>
/// <param name="Overflow">What a write to a new key does when the queue is full.</param>
internal sealed record WriteBehindOptions(TimeSpan WriteDelay, int BatchSize, int QueueCapacity, OverflowPolicy Overflow)
{
    public static WriteBehindOptions Default { get; } = new(TimeSpan.FromMilliseconds(50), 64, 10_000, OverflowPolicy.Reject);
}
