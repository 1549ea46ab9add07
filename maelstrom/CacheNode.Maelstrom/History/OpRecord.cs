namespace CacheNode.Maelstrom.History;

/// <summary>Everything the report needs about one client operation (the checker needs less: <see cref="ToOperation"/>).</summary>
internal sealed record OpRecord(
    int Id,
    int Process,
    string Client,
    string Node,
    OpKind Kind,
    string Key,
    int? Value,
    int? From,
    long InvokeNanos,
    long CompleteNanos,
    OpStatus Status,
    int? ErrorCode,
    string? Error,
    bool FinalRead)
{
    public double LatencyMs => (CompleteNanos - InvokeNanos) / 1e6;

    public Operation ToOperation() => new(
        Id, Process, Kind, Key, Value, From, InvokeNanos, Status == OpStatus.Info ? long.MaxValue : CompleteNanos, Status);
}
