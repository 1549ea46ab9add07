namespace CacheNode.Maelstrom.Workloads;

/// <summary>Poisson pacing: exponential gaps between a client's operations, so all clients together run at --rate.</summary>
internal static class Pacing
{
    public static Task WaitAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var gap = -context.MeanInterval.TotalMilliseconds * Math.Log(1 - context.Random.NextDouble());
        return Task.Delay(TimeSpan.FromMilliseconds(gap), cancellationToken);
    }
}
