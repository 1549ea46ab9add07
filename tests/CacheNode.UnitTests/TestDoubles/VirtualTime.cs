using Microsoft.Extensions.Time.Testing;

namespace CacheNode.UnitTests.TestDoubles;

/// <summary>Runs a test about time so that each step of a <see cref="FakeTimeProvider"/> shows at once what it set off.</summary>
/// <remarks>
/// The test runs on the thread pool, outside xUnit's synchronization context. There, code under test
/// that awaits a fake timer (Task.Delay, WaitAsync with the provider) resumes inside
/// <see cref="FakeTimeProvider.Advance"/>, on the test's own thread, instead of being posted to run later:
/// when Advance returns, whatever that moment of virtual time lets happen has happened, so "it has not
/// completed yet" is a fact about the clock, not a race with a continuation still on its way.
/// That holds while the test's thread is the only one using the clock: the provider runs due timers on
/// whichever thread reads or moves it, and skips the run if another thread is already at it.
/// </remarks>
internal static class VirtualTime
{
    public static Task RunAsync(Func<Task> test) => Task.Run(test);
}
