using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>Hand-written histories for one key: times in milliseconds, ids in the order ops are added.</summary>
internal sealed class HistoryBuilder(string key = "k")
{
    private const long NanosPerMs = 1_000_000;
    private readonly List<Operation> _ops = [];

    public IReadOnlyList<Operation> Ops => _ops;

    public Operation Last => _ops[^1];

    public HistoryBuilder Read(int process, long invokeMs, long completeMs, int? value, OpStatus status = OpStatus.Ok) =>
        Add(process, OpKind.Read, value, null, invokeMs, completeMs, status);

    public HistoryBuilder Write(int process, long invokeMs, long completeMs, int value, OpStatus status = OpStatus.Ok) =>
        Add(process, OpKind.Write, value, null, invokeMs, completeMs, status);

    public HistoryBuilder Cas(int process, long invokeMs, long completeMs, int from, int to, OpStatus status = OpStatus.Ok) =>
        Add(process, OpKind.Cas, to, from, invokeMs, completeMs, status);

    /// <summary>A read that timed out: Maelstrom records no value.</summary>
    public HistoryBuilder InfoRead(int process, long invokeMs, int? value = null) =>
        Add(process, OpKind.Read, value, null, invokeMs, null, OpStatus.Info);

    public HistoryBuilder InfoWrite(int process, long invokeMs, int value) =>
        Add(process, OpKind.Write, value, null, invokeMs, null, OpStatus.Info);

    public HistoryBuilder InfoCas(int process, long invokeMs, int from, int to) =>
        Add(process, OpKind.Cas, to, from, invokeMs, null, OpStatus.Info);

    public CheckResult Check() => LinearizabilityChecker.Check(_ops);

    private HistoryBuilder Add(int process, OpKind kind, int? value, int? from, long invokeMs, long? completeMs, OpStatus status)
    {
        var complete = completeMs is long ms && status != OpStatus.Info ? ms * NanosPerMs : long.MaxValue;
        _ops.Add(new Operation(_ops.Count, process, kind, key, value, from, invokeMs * NanosPerMs, complete, status));
        return this;
    }
}
