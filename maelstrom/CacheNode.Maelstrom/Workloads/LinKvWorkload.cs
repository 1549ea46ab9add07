using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Workloads;

/// <summary>
/// Maelstrom's lin-kv workload (workload/lin_kv.clj): read, write and compare-and-set of small integers
/// (0..4) on independent keys; the history must be linearizable per key (Knossos' cas-register), and
/// every kind of operation must succeed at least once (Jepsen's stats checker). Operations come from
/// Jepsen's independent generator (<see cref="IndependentKeys"/>) or, as a runner-only extension, from
/// K keys drawn at random (<see cref="KeyChooser"/>).
/// </summary>
internal sealed class LinKvWorkload : IWorkload
{
    private readonly Func<ClientThread, (OpKind Kind, int Key, int? Value, int? From)> _next;
    private readonly ConcurrentDictionary<int, bool> _keysUsed = new();

    private LinKvWorkload(Func<ClientThread, (OpKind, int, int?, int?)> next, double? availability)
    {
        _next = next;
        Availability = availability;
    }

    public string Name => "lin-kv";

    /// <summary>Maelstrom's <c>--availability</c> target, or null.</summary>
    public double? Availability { get; }

    public IReadOnlyList<int> KeysUsed => [.. _keysUsed.Keys.Order()];

    /// <summary>Maelstrom's generator: Jepsen's independent concurrent generator over keys 0, 1, 2, ….</summary>
    public static LinKvWorkload Jepsen(int nodeCount, IReadOnlyList<ClientThread> threads, Random random, double? availability)
    {
        var keys = new IndependentKeys(nodeCount, threads, random);
        return new LinKvWorkload(keys.Next, availability);
    }

    /// <summary>Runner-only: every operation picks a key from <paramref name="keys"/> and a kind by <paramref name="readRatio"/>.</summary>
    public static LinKvWorkload Uniform(KeyChooser keys, double readRatio, Random random, double? availability)
    {
        var gate = new Lock();
        return new LinKvWorkload(_ =>
        {
            lock (gate)
            {
                var key = keys.Next(random);
                var roll = random.NextDouble();
                return roll < readRatio ? (OpKind.Read, key, null, null)
                    : roll < readRatio + ((1 - readRatio) / 2) ? (OpKind.Write, key, random.Next(5), null)
                    : (OpKind.Cas, key, random.Next(5), random.Next(5));
            }
        }, availability);
    }

    public Task<OpStatus> InvokeAsync(ClientThread thread)
    {
        var (kind, key, value, from) = _next(thread);
        return ExecuteAsync(thread, thread.Process, kind, key, value, from, finalRead: false);
    }

    public async Task FinalAsync(ClientThread thread, CancellationToken cancellationToken)
    {
        // Fresh process numbers, so the final reads follow everything else.
        var process = thread.Index + ReservedProcesses.FinalReads;
        foreach (var key in KeysUsed)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await ExecuteAsync(thread, process, OpKind.Read, key, null, null, finalRead: true);
        }
    }

    public WorkloadVerdict Check(IReadOnlyList<OpRecord> history, CancellationToken cancellationToken) =>
        LinKvVerdict.Of(history, Availability, cancellationToken);

    private async Task<OpStatus> ExecuteAsync(ClientThread thread, int process, OpKind kind, int key, int? value, int? from, bool finalRead)
    {
        _keysUsed[key] = true;
        // Members in the order Maelstrom's bodies have them (and keep, being array maps): lin_kv.clj's call
        // gives {:key k ...}, defrpc assoc's :type and then :msg_id (which the client adds).
        var request = kind switch
        {
            OpKind.Read => new JsonObject { ["key"] = key, ["type"] = "read" },
            OpKind.Write => new JsonObject { ["key"] = key, ["value"] = value, ["type"] = "write" },
            _ => new JsonObject { ["key"] = key, ["from"] = from, ["to"] = value, ["type"] = "cas" },
        };
        var id = thread.History.NextId();
        var invoke = thread.History.NowNanos;
        var reply = await thread.Client.RequestAsync(thread.Node, request, thread.Timeout, CancellationToken.None);
        var complete = thread.History.NowNanos;
        var expected = request["type"]!.GetValue<string>() + "_ok";
        var (status, code, text) = kind == OpKind.Read
            ? ReplyClassifier.Classify(reply, expected, idempotent: true, "value")
            : ReplyClassifier.Classify(reply, expected, idempotent: false);
        if (kind == OpKind.Read)
        {
            // Read ok: the value read; a null value is nil, which Knossos' cas-register accepts in any state.
            value = status == OpStatus.Ok ? ReplyClassifier.ValueOf(reply!["value"]) : null;
        }

        thread.History.Add(new OpRecord(
            id, process, thread.Client.Id, thread.Node, kind, key.ToString(CultureInfo.InvariantCulture), value, from,
            invoke, complete, status, code, text, finalRead));
        return status;
    }
}
