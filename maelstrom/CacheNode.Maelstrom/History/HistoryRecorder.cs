using System.Diagnostics;

namespace CacheNode.Maelstrom.History;

/// <summary>Collects operations from every client; ids follow invocation order.</summary>
internal sealed class HistoryRecorder(Stopwatch clock)
{
    private readonly Lock _gate = new();
    private readonly List<OpRecord> _records = [];
    private int _nextId;

    public long NowNanos => (long)(clock.ElapsedTicks * (1e9 / Stopwatch.Frequency));

    public int NextId() => Interlocked.Increment(ref _nextId) - 1;

    public void Add(OpRecord record)
    {
        lock (_gate)
        {
            _records.Add(record);
        }
    }

    public IReadOnlyList<OpRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records.OrderBy(r => r.InvokeNanos)];
        }
    }
}
