namespace CacheNode.UnitTests.TestDoubles;

/// <summary>A clock that moves only when the test says so, for TTL, lease and refresh tests.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _timestamp = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
}
