using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Maelstrom's echo workload (workload/echo.clj): every thread sends <c>echo</c> with "Please echo N"
/// (N below 128) and a 5 s timeout. Its checker demands that every completed operation carried the
/// same text back, so a timeout or an error is as wrong as a different text.
/// </summary>
internal sealed class EchoWorkload(Random random, double? availability) : IWorkload
{
    private readonly Lock _gate = new();
    private readonly List<string> _mismatches = [];

    public string Name => "echo";

    public IReadOnlyList<int> KeysUsed => [];

    public async Task<OpStatus> InvokeAsync(ClientThread thread)
    {
        int n;
        lock (_gate)
        {
            n = random.Next(128);
        }

        var text = $"Please echo {n}";
        // {:echo v} with :type and :msg_id assoc'ed after it, as echo.clj's defrpc call builds it.
        var id = thread.History.NextId();
        var invoke = thread.History.NowNanos;
        var reply = await thread.Client.RequestAsync(thread.Node, new JsonObject { ["echo"] = text, ["type"] = "echo" }, thread.Timeout, CancellationToken.None);
        var (status, code, error) = ReplyClassifier.Classify(reply, "echo_ok", idempotent: false, "echo");
        if (status == OpStatus.Ok && !JsonNode.DeepEquals(reply!["echo"], JsonValue.Create(text)))
        {
            error = $"echoed {reply!["echo"]?.ToJsonString() ?? "null"} for \"{text}\"";
        }

        if (status != OpStatus.Ok || error is not null)
        {
            lock (_gate)
            {
                _mismatches.Add($"{thread.Node}: expected \"{text}\" back, but {error ?? status.ToString().ToLowerInvariant()}{(code is { } c ? $" (error {c})" : string.Empty)}");
            }
        }

        thread.History.Add(new OpRecord(
            id, thread.Process, thread.Client.Id, thread.Node, OpKind.Read, "echo", null, null,
            invoke, thread.History.NowNanos, error is not null && status == OpStatus.Ok ? OpStatus.Fail : status, code, error, false));
        return status;
    }

    public Task FinalAsync(ClientThread thread, CancellationToken cancellationToken) => Task.CompletedTask;

    public WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken)
    {
        var ok = history.Count(r => r.Status == OpStatus.Ok);
        var stats = OperationStats.Problems(history, availability, _ => "echo");
        lock (_gate)
        {
            var valid = _mismatches.Count == 0 && stats.Count == 0;
            var summary = string.Create(CultureInfo.InvariantCulture, $"{ok} of {history.Count} echoes answered correctly")
                + (_mismatches.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {_mismatches.Count} not") : string.Empty)
                + (stats.Count > 0 ? "; " + string.Join("; ", stats) : string.Empty);
            return new WorkloadVerdict(valid, summary, [.. _mismatches.Take(10), .. stats]);
        }
    }
}
