namespace CacheNode.Bench.Running;

/// <summary>
/// Runs blocking pipe I/O on a dedicated thread. Pipe streams block a thread per read or write anyway, and on
/// a two-core machine the thread pool starts with two threads: borrowing pool threads for three pipes would make
/// it inject threads mid-measurement, with half-second stalls that would end up in the timings.
/// </summary>
internal static class BlockingWork
{
    public static Task Run(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
