using System.Globalization;
using System.Net;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Report;

/// <summary>One client operation in words, the same way on every page of the report.</summary>
internal static class OperationText
{
    /// <summary>What fits in a box: "r 4", "w 3", "cas 1→2".</summary>
    public static string Short(OpRecord op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Kind switch
        {
            OpKind.Read => op.Status == OpStatus.Ok ? "r " + Show(op.Value) : "r ?",
            OpKind.Write => "w " + Show(op.Value),
            _ => "cas " + Show(op.From) + "→" + Show(op.Value),
        };
    }

    /// <summary>What it asked and got: "read key 0 → 4", "write key 0 := 3", "cas key 0 1→2".</summary>
    public static string Operation(OpRecord op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Kind switch
        {
            OpKind.Read => op.Status == OpStatus.Ok ? $"read key {op.Key} → {Show(op.Value)}" : $"read key {op.Key}",
            OpKind.Write => $"write key {op.Key} := {Show(op.Value)}",
            _ => $"cas key {op.Key} {Show(op.From)}→{Show(op.Value)}",
        };
    }

    /// <summary>How it ended: "ok", "fail (error 22: ...)", "info: no definite answer (...)".</summary>
    public static string Outcome(OpRecord op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var why = op.ErrorCode is { } code
            ? string.Create(CultureInfo.InvariantCulture, $"error {code}{(op.Error is { Length: > 0 } text ? ": " + text : string.Empty)}")
            : op.Error ?? "no reply";
        return op.Status switch
        {
            OpStatus.Ok => "ok",
            OpStatus.Fail => $"fail ({why})",
            _ => $"info: no definite answer ({why})",
        };
    }

    /// <summary>Everything about it on one line, for a hover title.</summary>
    public static string Full(OpRecord op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return string.Create(CultureInfo.InvariantCulture,
            $"#{op.Id} process {op.Process} (client {op.Client} → node {op.Node}): {Operation(op)}; {Outcome(op)}; invoked {Ms(op.InvokeNanos)} ms, completed {Ms(op.CompleteNanos)} ms ({op.LatencyMs:0.000} ms)");
    }

    /// <summary>The status as a CSS class: ok, fail, info.</summary>
    public static string StatusClass(OpRecord op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Status.ToString().ToLowerInvariant();
    }

    public static string Ms(long nanos) => (nanos / 1e6).ToString("0.000", CultureInfo.InvariantCulture);

    public static string Html(string text) => WebUtility.HtmlEncode(text);

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "nil";
}
