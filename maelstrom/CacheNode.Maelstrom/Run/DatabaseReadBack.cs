using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nodes;
using CacheNode.Maelstrom.Services;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Run;

/// <summary>
/// The end-of-run durability check: every node is asked to <c>flush</c>, then every key is read straight
/// out of the <c>lin-kv</c> service. Those reads join the history as the last operations of all, so the
/// linearizability check demands that the database holds, for each key, the value of the last write in
/// the linearization. A key that checks out without them but not with them lost an acked write.
/// </summary>
internal static class DatabaseReadBack
{
    /// <summary>The <c>node</c> of the direct reads in the history and the report.</summary>
    public const string ReaderName = "lin-kv";

    /// <summary>The <c>client</c> of the direct reads: not a client of the workload.</summary>
    public const string ClientName = "runner";

    private static readonly TimeSpan FlushBudget = TimeSpan.FromSeconds(20);

    /// <summary>Flushes every node and records a direct read of every key in <paramref name="keys"/>; not applicable when the nodes never wrote to lin-kv.</summary>
    public static async Task<DatabaseReadBackResult> RunAsync(
        Client admin, IReadOnlyList<NodeHost> nodes, LinKvService linKv, HistoryRecorder history, IReadOnlyList<int> keys, int processBase, TimeSpan timeout, RunFailures failures, CancellationToken cancellationToken)
    {
        var flushFailures = await Task.WhenAll(nodes.Select(node => FlushAsync(admin, node.Id, timeout, cancellationToken)));
        foreach (var failure in flushFailures.OfType<string>())
        {
            failures.Add(failure);
        }

        if (linKv.Writes == 0)
        {
            return DatabaseReadBackResult.NotApplicable("the nodes never wrote to lin-kv (their own database, e.g. CACHENODE_DB=local)");
        }

        foreach (var key in keys)
        {
            var name = key.ToString(CultureInfo.InvariantCulture);
            var (found, value) = linKv.Peek(name);
            var now = history.NowNanos;
            history.Add(new OpRecord(
                history.NextId(), processBase + key, ClientName, ReaderName, OpKind.Read, name,
                found ? ReplyClassifier.ValueOf(value) : null, null, now, now, OpStatus.Ok, null, null, FinalRead: true));
        }

        return new DatabaseReadBackResult(true, keys.Count, null);
    }

    /// <summary>
    /// The keys that <paramref name="verdict"/> (of the whole history) finds invalid but a check without the
    /// direct database reads does not: the database does not hold what the clients were told.
    /// </summary>
    public static IReadOnlyList<string> LostKeys(IWorkload workload, IReadOnlyList<OpRecord> history, WorkloadVerdict verdict, CancellationToken cancellationToken)
    {
        if (verdict.InvalidKeys.Count == 0)
        {
            return [];
        }

        var withoutReadBack = workload.Check([.. history.Where(r => r.Node != ReaderName)], cancellationToken);
        return [.. verdict.InvalidKeys.Except(withoutReadBack.InvalidKeys, StringComparer.Ordinal)];
    }

    // Retried until the budget runs out: a node that was just restarted answers 11 while it recovers.
    private static async Task<string?> FlushAsync(Client admin, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FlushBudget;
        string last = "no reply";
        while (DateTime.UtcNow < deadline)
        {
            var reply = await admin.RequestAsync(node, new JsonObject { ["type"] = "flush" }, timeout, cancellationToken);
            if (reply?["type"]?.GetValue<string>() == "flush_ok")
            {
                return null;
            }

            last = reply?.ToJsonString() ?? "no reply";
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return $"{node} did not answer flush with flush_ok within {FlushBudget.TotalSeconds:0} s (last: {last})";
    }
}

/// <summary>Whether the database was read back, how many keys, and the lost writes found (set once checked).</summary>
internal sealed record DatabaseReadBackResult(bool Checked, int KeysRead, string? SkippedBecause)
{
    public static DatabaseReadBackResult NotApplicable(string reason) => new(false, 0, reason);

    /// <summary>Keys whose history checks out without the direct reads but not with them: an acked write is missing from the database.</summary>
    public IReadOnlyList<string> LostKeys { get; init; } = [];
}
