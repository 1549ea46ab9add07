using System.Collections.Concurrent;

namespace CacheNode.Maelstrom.Run;

/// <summary>
/// What went wrong outside the history. A crash is what makes Maelstrom abort a test (a node that
/// fails to start or answer init, or that exited during the test): exit 255, no verdict. A failure
/// makes the run invalid (CacheNode's opt-in checks: flush, clean exit). A warning is reported only.
/// </summary>
internal sealed class RunFailures
{
    private readonly ConcurrentQueue<string> _crashes = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public bool Any => !_failures.IsEmpty;

    public bool Crashed => !_crashes.IsEmpty;

    public IReadOnlyList<string> All => [.. _failures];

    public IReadOnlyList<string> Crashes => [.. _crashes];

    public IReadOnlyList<string> Warnings => [.. _warnings];

    public void Add(string failure) => _failures.Enqueue(failure);

    public void Crash(string crash) => _crashes.Enqueue(crash);

    public void Warn(string warning) => _warnings.Enqueue(warning);
}
