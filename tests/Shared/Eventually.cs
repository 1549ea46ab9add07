namespace CacheNode.Testing;

/// <summary>
/// Waits for a condition the system under test makes true by itself (a lease running out, a message
/// delivered, a heartbeat's effect), checking it often, with a deadline generous enough for a loaded
/// machine. The one way tests wait, in every suite (this file is compiled into each test project):
/// never a fixed sleep standing in for the event.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(Interval);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, timeout);
}
