using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

/// <summary>
/// Jepsen's <c>gen/stagger</c> on a virtual clock whose waits wake a set time late. Operations complete at
/// once (a thread is always free), so only the schedule decides how many go out.
/// </summary>
public sealed class StaggerTests
{
    [Theory]
    // A timer as precise as Jepsen's (a JVM's timed poll wakes about 0.15 ms late): close to the rate asked.
    [InlineData(0.0, 2_900, 3_100)]
    [InlineData(0.15, 2_750, 2_990)]
    // Task.Delay's lateness (1 ms and more): as in Jepsen, every gap counts from when the operation went
    // out, so the lateness adds to each gap and the rate falls; hence the runner's precise clock.
    [InlineData(1.0, 2_200, 2_420)]
    public async Task Each_gap_counts_from_when_its_operation_went_out(double latenessMs, int atLeast, int atMost)
    {
        using var clock = new VirtualClock(TimeSpan.FromMilliseconds(latenessMs), TimeSpan.FromSeconds(10));
        var issued = 0;

        await new Stagger(300, new Random(3), clock).RunAsync(
            Threads(6), _ => { issued++; return Task.FromResult(OpStatus.Ok); }, clock.TimeLimit);

        // 300 ops/s for 10 s, mean gap 3.33 ms plus the lateness: 3,000 / (1 + lateness / 3.33 ms).
        issued.Should().BeInRange(atLeast, atMost);
    }

    [Fact]
    // A wait that wakes far later than any gap (the runner descheduled for 50 ms) does not turn into a
    // burst: Jepsen's interpreter issues one operation when it wakes and draws the next gap from there.
    public async Task A_late_wake_sends_one_operation_not_a_burst_to_catch_up()
    {
        using var clock = new VirtualClock(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
        var issuedAt = new List<TimeSpan>();

        await new Stagger(300, new Random(3), clock).RunAsync(
            Threads(6), _ => { issuedAt.Add(clock.Now); return Task.FromResult(OpStatus.Ok); }, clock.TimeLimit);

        issuedAt.GroupBy(t => t).Max(g => g.Count()).Should().Be(1);
    }

    private static List<ClientThread> Threads(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ClientThread(i, count, null!, "n0", null!, TimeSpan.FromSeconds(1)))];

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
