using System.Diagnostics;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Run;

/// <summary>
/// Runner-only (CacheNode's <c>stats</c>, with <c>--node-checks</c>): every node's counters each time the
/// partition changes, so a run can say what each side of a partition did while it lasted.
/// </summary>
internal sealed class PartitionSampler(Client admin, IReadOnlyList<string> nodeIds, Stopwatch clock, TimeSpan timeout)
{
    private readonly List<Task<StatsSample>> _samples = [];

    /// <summary>Starts a snapshot, taken as <paramref name="grudge"/> comes into force (it returns at once).</summary>
    public void Sample(Grudge grudge)
    {
        lock (_samples)
        {
            _samples.Add(TakeAsync(grudge));
        }
    }

    public async Task<IReadOnlyList<StatsSample>> AllAsync()
    {
        Task<StatsSample>[] pending;
        lock (_samples)
        {
            pending = [.. _samples];
        }

        return [.. (await Task.WhenAll(pending)).OrderBy(s => s.AtMs)];
    }

    private async Task<StatsSample> TakeAsync(Grudge grudge)
    {
        var at = clock.Elapsed.TotalMilliseconds;
        // A node that does not answer in time (paused, killed) gets null: its window is left out.
        var replies = await Task.WhenAll(nodeIds.Select(async id => (id, stats: await admin.RequestAsync(id, new JsonObject { ["type"] = "stats" }, timeout))));
        return new StatsSample(at, grudge, replies.ToDictionary(r => r.id, r => r.stats, StringComparer.Ordinal));
    }
}

/// <summary>Every node's <c>stats</c> (null: no answer) at <paramref name="AtMs"/>, when <paramref name="Grudge"/> came into force.</summary>
internal sealed record StatsSample(double AtMs, Grudge Grudge, IReadOnlyDictionary<string, JsonObject?> Stats);
