using System.Diagnostics;
using System.Runtime.InteropServices;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Jepsen's <c>(gen/stagger (/ rate) ...)</c> over worker threads, as Maelstrom drives every workload:
/// operations are scheduled for the whole test (not per thread) at gaps drawn uniformly from 0 to
/// 2/rate seconds, each goes to a thread that is free at that moment, and when none is free the next
/// operation waits for one and the schedule restarts from then (Stagger's <c>next-time</c>), so a
/// slow system is never sent a burst to catch up. As in Jepsen, each gap counts from the moment the
/// operation went out, so whatever the wait for it overshot is added to the schedule: the wait must be
/// as precise as Jepsen's (a timed poll on the interpreter thread, about 0.15 ms late on a JVM). So one
/// thread of its own waits with sub-millisecond precision; .NET's Task.Delay woke 1-4 ms late and made
/// the runner issue 227 of 300 ops/s asked.
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
        if (rate <= 0)
        {
            // Maelstrom: (gen/sleep time-limit) when the rate is 0.
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, timeLimit);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        var inFlight = await Task.Factory.StartNew(
            () => Schedule(threads, invoke, timeLimit), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(inFlight);
    }

    /// <summary>The scheduling loop, on a thread of its own (Jepsen's interpreter thread); returns the operations still in flight.</summary>
    private List<Task> Schedule(IReadOnlyList<ClientThread> threads, Func<ClientThread, Task<OpStatus>> invoke, CancellationToken timeLimit)
    {
        var inFlight = new List<Task>();
        var free = new HashSet<ClientThread>(threads);
        var freed = new SemaphoreSlim(0, int.MaxValue);
        var next = _clock.Now;
        while (!timeLimit.IsCancellationRequested)
        {
            if (!_clock.WaitUntil(next, timeLimit))
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

                if (thread is null && !Wait(freed, timeLimit))
                {
                    break;
                }
            }

            if (thread is null)
            {
                break;
            }

            // Jepsen's Stagger (generator.clj): the operation's time is when it goes out, its scheduled
            // time or later (a late wake, or no worker free until now); the next is due a uniform gap after
            // it, so a late operation is never followed by a burst to catch up.
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

        return inFlight;
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

    private static bool Wait(SemaphoreSlim signal, CancellationToken cancellationToken)
    {
        try
        {
            signal.Wait(cancellationToken);
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

    /// <summary>Blocks until <see cref="Now"/> reaches <paramref name="deadline"/> (or a little later); false once <paramref name="cancellationToken"/> fires.</summary>
    bool WaitUntil(TimeSpan deadline, CancellationToken cancellationToken);
}

/// <summary>
/// Real time, waited for as Jepsen's interpreter does (a timed poll, about 0.15 ms late on a JVM): the
/// bulk with a millisecond wait that ends before the deadline, the last milliseconds with nanosleep.
/// .NET's Task.Delay would round to whole milliseconds and wake 1–4 ms late, bunching the operations.
/// </summary>
internal sealed class SystemStaggerClock : IStaggerClock
{
    private static readonly TimeSpan FineWindow = TimeSpan.FromMilliseconds(2);
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private bool _noNanosleep;

    public TimeSpan Now => _stopwatch.Elapsed;

    public bool WaitUntil(TimeSpan deadline, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = deadline - Now;
            if (remaining <= TimeSpan.Zero)
            {
                return true;
            }

            if (remaining > FineWindow)
            {
                // Whole milliseconds, cut short by the fine window, so it ends before the deadline.
                cancellationToken.WaitHandle.WaitOne(remaining - FineWindow);
            }
            else
            {
                Sleep(remaining);
            }
        }

        return false;
    }

    private void Sleep(TimeSpan duration)
    {
        if (!_noNanosleep)
        {
            try
            {
                var request = new Timespec { Seconds = 0, Nanoseconds = (nint)(duration.Ticks * 100) };
                _ = NativeMethods.Nanosleep(ref request, IntPtr.Zero);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _noNanosleep = true;
            }
        }

        Thread.Sleep(1);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
        public static extern int Nanosleep(ref Timespec request, IntPtr remaining);
    }
}
