using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>Maelstrom's echo workload: every <c>echo</c> must come back as <c>echo_ok</c> with the same value.</summary>
internal sealed class EchoWorkload : IWorkload
{
    private int _mismatches;
    private readonly List<string> _mismatchExamples = [];

    public string Name => "echo";

    public async Task RunClientAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await context.Pacer.WaitTurnAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var text = $"Please echo {context.Random.Next(1000)}";
            var id = context.History.NextId();
            var invoke = context.History.NowNanos;
            // Not cancelled by the time limit: an operation once sent runs to its reply or its timeout.
            var reply = await context.Client.RequestAsync(context.Node, new JsonObject { ["type"] = "echo", ["echo"] = text }, context.Timeout, CancellationToken.None);
            var (status, code, error) = ReplyClassifier.Classify(reply, "echo_ok");
            if (status == OpStatus.Ok && reply!["echo"]?.GetValue<string>() != text)
            {
                status = OpStatus.Fail;
                error = $"echoed {reply["echo"]?.ToJsonString()} for \"{text}\"";
                lock (_mismatchExamples)
                {
                    _mismatches++;
                    if (_mismatchExamples.Count < 10)
                    {
                        _mismatchExamples.Add($"{context.Node}: {error}");
                    }
                }
            }

            context.History.Add(new OpRecord(
                id, context.Index, context.Client.Id, context.Node, OpKind.Read, "echo", null, null,
                invoke, context.History.NowNanos, status, code, error, false));
        }
    }

    public Task FinalAsync(WorkloadContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken)
    {
        var ok = history.Count(r => r.Status == OpStatus.Ok);
        lock (_mismatchExamples)
        {
            return _mismatches == 0 && ok > 0
                ? new WorkloadVerdict(true, string.Create(CultureInfo.InvariantCulture, $"{ok} of {history.Count} echoes answered correctly"), [])
                : new WorkloadVerdict(false, string.Create(CultureInfo.InvariantCulture, $"{_mismatches} wrong echoes, {ok} correct"), [.. _mismatchExamples]);
        }
    }
}
