using System.Globalization;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>The linearizability verdict for one key.</summary>
/// <param name="Key">The key checked.</param>
/// <param name="Verdict">Valid, Invalid, or Unknown (the search stopped early; proves nothing either way).</param>
/// <param name="Explanation">One human-readable paragraph: why it is invalid, or what was checked.</param>
/// <param name="Culprit">Invalid only: the operation that could not be linearized in time.</param>
/// <param name="Slice">Invalid only: the culprit with the operations concurrent with it and the last
/// writes before it, in invocation order: the part of the history to look at.</param>
/// <param name="StatesExplored">Distinct search configurations visited.</param>
/// <param name="OperationCount">Operations of this key given to the checker (all statuses).</param>
internal sealed record CheckResult(
    string Key,
    Verdict Verdict,
    string Explanation,
    Operation? Culprit,
    IReadOnlyList<Operation> Slice,
    long StatesExplored,
    int OperationCount)
{
    public bool Valid => Verdict == Verdict.Valid;

    /// <summary>The slice, one line per operation, with invocation and completion times in milliseconds.</summary>
    public IReadOnlyList<string> SliceLines => [.. Slice.Select(op => Describe(op) + (op == Culprit ? "   <- cannot be linearized" : string.Empty))];

    /// <summary>An operation with its interval, e.g. "#12 p3 read 1 -> 2 [Ok]  12.345 .. 13.012 ms".</summary>
    public static string Describe(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Status == OpStatus.Ok
            ? string.Create(CultureInfo.InvariantCulture, $"{op}  {op.Invoke / 1e6:0.000} .. {op.Complete / 1e6:0.000} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{op}  {op.Invoke / 1e6:0.000} .. (no reply) ms");
    }
}
