using System.Diagnostics;

namespace CacheNode.Bench.Running;

/// <summary>
/// Kills a child that has produced no output for too long, so a hung node fails the run (short of replies)
/// instead of hanging the bench. Killing also unblocks the pipe reads, which cannot be cancelled otherwise.
/// </summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _idle = new();
    private readonly CancellationTokenRegistration _kill;
    private readonly TimeSpan _limit;

    public IdleWatchdog(Process process, TimeSpan limit)
    {
        _limit = limit;
        _kill = _idle.Token.Register(() => ChildProcess.Kill(process));
        _idle.CancelAfter(limit);
    }

    public bool Fired => _idle.IsCancellationRequested;

    /// <summary>The child made progress: restart the countdown (a no-op once it has fired).</summary>
    public void Touch() => _idle.CancelAfter(_limit);

    public void Dispose()
    {
        _kill.Dispose();
        _idle.Dispose();
    }
}
