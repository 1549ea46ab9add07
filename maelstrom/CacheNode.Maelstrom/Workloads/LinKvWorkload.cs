using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Maelstrom's lin-kv workload: clients read, write and compare-and-set small integers (0..4) on
/// independent keys; the history must be linearizable per key.
/// </summary>
internal sealed class LinKvWorkload(KeyChooser keys, double readRatio) : IWorkload
{
    private const int MaxValue = 5;

    public string Name => "lin-kv";

    public async Task RunClientAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var process = context.Index;
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

            var key = keys.Next(context.Random);
            var roll = context.Random.NextDouble();
            var status = roll < readRatio
                ? await ReadAsync(context, process, key, finalRead: false)
                : roll < readRatio + ((1 - readRatio) / 2)
                    ? await WriteAsync(context, process, key, context.Random.Next(MaxValue))
                    : await CasAsync(context, process, key, context.Random.Next(MaxValue), context.Random.Next(MaxValue));

            // Jepsen's rule: a process whose operation is indeterminate may still be running it, so the
            // client continues as a new process.
            if (status == OpStatus.Info)
            {
                process += context.Concurrency;
            }
        }
    }

    public async Task FinalAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        // Every client reads every key once; the process numbers are fresh so they follow everything.
        var process = context.Index + (1_000_000 * context.Concurrency);
        for (var key = 0; key < keys.Count && !cancellationToken.IsCancellationRequested; key++)
        {
            await ReadAsync(context, process, key, finalRead: true);
        }
    }

    public WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken) =>
        LinKvVerdict.Of(history, cancellationToken);

    private static Task<OpStatus> ReadAsync(WorkloadContext context, int process, int key, bool finalRead) =>
        ExecuteAsync(context, process, OpKind.Read, key, null, null, finalRead,
            new JsonObject { ["type"] = "read", ["key"] = key });

    private static Task<OpStatus> WriteAsync(WorkloadContext context, int process, int key, int value) =>
        ExecuteAsync(context, process, OpKind.Write, key, value, null, false,
            new JsonObject { ["type"] = "write", ["key"] = key, ["value"] = value });

    private static Task<OpStatus> CasAsync(WorkloadContext context, int process, int key, int from, int to) =>
        ExecuteAsync(context, process, OpKind.Cas, key, to, from, false,
            new JsonObject { ["type"] = "cas", ["key"] = key, ["from"] = from, ["to"] = to });

    private static async Task<OpStatus> ExecuteAsync(WorkloadContext context, int process, OpKind kind, int key, int? value, int? from, bool finalRead, JsonObject request)
    {
        var id = context.History.NextId();
        var invoke = context.History.NowNanos;
        var expected = request["type"]!.GetValue<string>() + "_ok";
        // Not cancelled by the time limit: an operation once sent runs to its reply or its timeout.
        var reply = await context.Client.RequestAsync(context.Node, request, context.Timeout, CancellationToken.None);
        var complete = context.History.NowNanos;
        var (status, code, text) = ReplyClassifier.Classify(reply, expected);

        if (kind == OpKind.Read)
        {
            if (status == OpStatus.Ok)
            {
                // A read_ok without a value can never be right; a null value is nil.
                value = reply!.TryGetPropertyValue("value", out var read) ? ReplyClassifier.ValueOf(read) : int.MinValue;
            }
            else if (code == 20)
            {
                // "Key does not exist" is an observation, not a failure: a read of nil.
                (status, value) = (OpStatus.Ok, null);
            }
        }

        context.History.Add(new OpRecord(
            id, process, context.Client.Id, context.Node, kind, key.ToString(CultureInfo.InvariantCulture), value, from,
            invoke, complete, status, code, text, finalRead));
        return status;
    }
}
