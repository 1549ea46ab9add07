using CacheNode.Maelstrom.Cli;

namespace CacheNode.Maelstrom.Net;

/// <summary>Draws one-way message delays around a mean, as Maelstrom's <c>--latency-dist</c> does (net.clj <c>latency-dist</c>).</summary>
internal sealed class LatencyModel(double meanMs, LatencyDistribution distribution, Random random)
{
    private readonly Lock _gate = new();

    public TimeSpan Next()
    {
        if (meanMs <= 0)
        {
            return TimeSpan.Zero;
        }

        double sample;
        lock (_gate)
        {
            sample = distribution switch
            {
                // Incanter's integer-distribution 0..2·mean (end exclusive), and an exponential draw cut to
                // whole milliseconds, as Maelstrom's (long (draw ...)) does.
                LatencyDistribution.Uniform => Math.Floor(random.NextDouble() * 2 * meanMs),
                LatencyDistribution.Exponential => Math.Floor(-meanMs * Math.Log(1 - random.NextDouble())),
                _ => meanMs,
            };
        }

        return TimeSpan.FromMilliseconds(sample);
    }
}
