namespace CacheNode.WriteBehind;

/// <summary>
/// The owner's writes between taking the key's lock and staging the value. A write forwarded by a peer
/// may be acked by the backup before the owner has staged it, so <c>flush</c> first waits for the writes
/// in flight when it starts: one of them may be acked already, and must reach the database with the rest.
/// </summary>
internal sealed class WritesInFlight
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TaskCompletionSource> _writes = [];
    private long _next;

    /// <summary>Records a write in flight until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var id = ++_next;
            _writes.Add(id, done);
            return new Scope(this, id);
        }
    }

    /// <summary>Returns once every write in flight now has ended (staged, or failed); later ones are not waited for.</summary>
    public Task WaitForCurrentAsync(CancellationToken cancellationToken)
    {
        Task[] current;
        lock (_gate)
        {
            current = [.. _writes.Values.Select(write => write.Task)];
        }

        return current.Length == 0 ? Task.CompletedTask : Task.WhenAll(current).WaitAsync(cancellationToken);
    }

    private void End(long id)
    {
        TaskCompletionSource? done;
        lock (_gate)
        {
            _writes.Remove(id, out done);
        }

        done?.TrySetResult();
    }

    /// <summary>Ends the write's record when disposed.</summary>
    internal readonly struct Scope(WritesInFlight owner, long id) : IDisposable
    {
        public void Dispose() => owner.End(id);
    }
}
