using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

/// <summary>
/// Jepsen's <c>gen/stagger</c> on a virtual clock. Operations are invoked at once (a thread is always free),
/// so every operation Maelstrom's ideal interpreter would issue in the time limit is issued: rate × time.
/// </summary>
public sealed class StaggerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    // .NET's Task.Delay woke 1-4 ms after the time asked for; the JVM's poll wakes about 0.15 ms late.
    // Lateness up to one mean gap (3.3 ms here) is not part of the schedule: an operation whose thread was
    // free is due at its scheduled time, and the next gap is drawn from there.
    public async Task Issues_rate_times_duration_operations_however_late_its_timer_wakes(double latenessMs)
    {
        using var clock = new VirtualClock(TimeSpan.FromMilliseconds(latenessMs), TimeSpan.FromSeconds(10));
        var threads = Enumerable.Range(0, 6)
            .Select(i => new ClientThread(i, 6, null!, "n0", null!, TimeSpan.FromSeconds(1)))
            .ToList();
        var issued = 0;

        await new Stagger(300, new Random(3), clock).RunAsync(
            threads, _ => { issued++; return Task.FromResult(OpStatus.Ok); }, clock.TimeLimit);

        // 300 ops/s for 10 s; gaps uniform over 0..2/300 s, so the count is 3,000 give or take ~1 %.
        issued.Should().BeInRange(2_900, 3_100);
    }

    [Fact]
    // A wait that wakes far later than any gap (the runner descheduled for 50 ms) does not turn into a
    // burst: Jepsen's interpreter would issue one operation when it woke and draw the next gap from there.
    public async Task A_long_late_wake_sends_no_burst_to_catch_up()
    {
        using var clock = new VirtualClock(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
        var threads = Enumerable.Range(0, 6)
            .Select(i => new ClientThread(i, 6, null!, "n0", null!, TimeSpan.FromSeconds(1)))
            .ToList();
        var issuedAt = new List<TimeSpan>();

        await new Stagger(300, new Random(3), clock).RunAsync(
            threads, _ => { issuedAt.Add(clock.Now); return Task.FromResult(OpStatus.Ok); }, clock.TimeLimit);

        // About 200 wakes in 10 s; each sends the operation due and those whose gaps, counted from at most
        // one mean gap (3.3 ms) before the wake, have already passed: about 1.6 on average, rarely 4. Counting
        // from the missed schedule instead would send 15 per wake (3,000 in all).
        var wakes = issuedAt.GroupBy(t => t).ToList();
        wakes.Max(g => g.Count()).Should().BeLessThanOrEqualTo(5);
        issuedAt.Count.Should().BeLessThan(2 * wakes.Count);
    }

    /// <summary>Virtual time: a wait ends <c>lateness</c> after its deadline, as a real timer would; the time limit fires at <c>limit</c>.</summary>
    private sealed class VirtualClock(TimeSpan lateness, TimeSpan limit) : IStaggerClock, IDisposable
    {
        private readonly CancellationTokenSource _timeLimit = new();

        public TimeSpan Now { get; private set; }

        public CancellationToken TimeLimit => _timeLimit.Token;

        public bool WaitUntil(TimeSpan deadline, CancellationToken cancellationToken)
        {
            if (deadline > Now)
            {
                Now = deadline + lateness;
            }

            if (Now >= limit)
            {
                _timeLimit.Cancel();
            }

            return !cancellationToken.IsCancellationRequested;
        }

        public void Dispose() => _timeLimit.Dispose();
    }
}
