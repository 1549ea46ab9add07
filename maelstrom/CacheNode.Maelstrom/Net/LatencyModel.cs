using CacheNode.Maelstrom.Cli;

namespace CacheNode.Maelstrom.Net;

/// <summary>Draws one-way message delays around a mean, as Maelstrom's <c>--latency-dist</c> does.</summary>
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
                LatencyDistribution.Uniform => random.NextDouble() * 2 * meanMs,
                LatencyDistribution.Exponential => -meanMs * Math.Log(1 - random.NextDouble()),
                _ => meanMs,
            };
        }

        return TimeSpan.FromMilliseconds(sample);
    }
}
