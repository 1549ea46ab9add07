using System.Diagnostics;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Jepsen's <c>(gen/stagger (/ rate) ...)</c> over worker threads, as Maelstrom drives every workload:
/// operations are scheduled for the whole test (not per thread) at gaps drawn uniformly from 0 to
/// 2/rate seconds, each goes to a thread that is free at that moment, and when none is free the next
/// operation waits for one and the schedule restarts from then (Stagger's <c>next-time</c>), so a
/// slow system is never sent a burst to catch up.
/// </summary>
internal sealed class Stagger(double rate, Random random, IStaggerClock? clock = null)
{
    private readonly Lock _gate = new();
    private readonly IStaggerClock _clock = clock ?? new SystemStaggerClock();

    /// <summary>
    /// Runs <paramref name="invoke"/> on free threads until <paramref name="timeLimit"/> fires, then waits for
    /// the operations in flight (an operation once sent runs to its reply or its timeout).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<ClientThread> threads, Func<ClientThread, Task<OpStatus>> invoke, CancellationToken timeLimit)
    {
        var inFlight = new List<Task>();
        if (rate <= 0)
        {
            // Maelstrom: (gen/sleep time-limit) when the rate is 0.
            await SystemStaggerClock.WaitAsync(Timeout.InfiniteTimeSpan, timeLimit);
            return;
        }

        var free = new HashSet<ClientThread>(threads);
        var freed = new SemaphoreSlim(0, int.MaxValue);
        var next = _clock.Now;
        while (!timeLimit.IsCancellationRequested)
        {
            if (!await _clock.WaitUntilAsync(next, timeLimit))
            {
                break;
            }

            ClientThread? thread = null;
            while (thread is null)
            {
                lock (_gate)
                {
                    if (free.Count > 0)
                    {
                        thread = free.ElementAt(random.Next(free.Count));
                        free.Remove(thread);
                    }
                }

                if (thread is null && !await WaitAsync(freed, timeLimit))
                {
                    break;
                }
            }

            if (thread is null)
            {
                break;
            }

            var issued = _clock.Now;
            inFlight.Add(RunOneAsync(thread, invoke, free, freed));
            inFlight.RemoveAll(t => t.IsCompleted);
            double gap;
            lock (_gate)
            {
                gap = random.NextDouble() * 2 / rate;
            }

            next = issued + TimeSpan.FromSeconds(gap);
        }

        await Task.WhenAll(inFlight);
    }

    private async Task RunOneAsync(ClientThread thread, Func<ClientThread, Task<OpStatus>> invoke, HashSet<ClientThread> free, SemaphoreSlim freed)
    {
        try
        {
            thread.Completed(await invoke(thread));
        }
        finally
        {
            lock (_gate)
            {
                free.Add(thread);
            }

            freed.Release();
        }
    }

    private static async Task<bool> WaitAsync(SemaphoreSlim signal, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>The time <see cref="Stagger"/> schedules by: real time, or a virtual clock in tests.</summary>
internal interface IStaggerClock
{
    /// <summary>Time since the clock started.</summary>
    TimeSpan Now { get; }

    /// <summary>Waits until <see cref="Now"/> reaches <paramref name="deadline"/> (or a little later); false once <paramref name="cancellationToken"/> fires.</summary>
    Task<bool> WaitUntilAsync(TimeSpan deadline, CancellationToken cancellationToken);
}

/// <summary>Real time: a stopwatch, and <see cref="Task.Delay(TimeSpan, CancellationToken)"/> to wait.</summary>
internal sealed class SystemStaggerClock : IStaggerClock
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    public TimeSpan Now => _stopwatch.Elapsed;

    public Task<bool> WaitUntilAsync(TimeSpan deadline, CancellationToken cancellationToken) =>
        WaitAsync(deadline - Now, cancellationToken);

    internal static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return !cancellationToken.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
