using System.Diagnostics;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Open-loop pacing for one client: operation starts are scheduled with exponential gaps (so all
/// clients together make a Poisson process at --rate), and a client waits only for what is left of
/// its gap after the previous operation. Waiting the whole gap after each reply would make the rate
/// depend on latency. A client that falls far behind its schedule restarts it rather than bursting.
/// </summary>
internal sealed class Pacer(TimeSpan meanInterval, Random random)
{
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _next;

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        _next += TimeSpan.FromMilliseconds(-meanInterval.TotalMilliseconds * Math.Log(1 - random.NextDouble()));
        var now = _clock.Elapsed;
        if (now - _next > MaxLag)
        {
            _next = now;
        }

        if (_next > now)
        {
            await Task.Delay(_next - now, cancellationToken);
        }
    }
}
