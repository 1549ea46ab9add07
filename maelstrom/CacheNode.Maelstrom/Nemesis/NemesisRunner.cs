using System.Diagnostics;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Nodes;

namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// Alternates between a fault and calm every interval: a partition, a paused node (SIGSTOP) or a killed
/// node that is started again (and gets <c>init</c> again) when the fault heals.
/// </summary>
internal sealed class NemesisRunner(
    IReadOnlySet<string> faults,
    TimeSpan interval,
    Network network,
    IReadOnlyList<NodeHost> nodes,
    Func<NodeHost, Task> reinitialize,
    Random random,
    Stopwatch clock)
{
    private readonly List<NemesisEvent> _events = [];
    private Func<Task>? _heal;

    public IReadOnlyList<NemesisEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (faults.Count == 0)
        {
            return;
        }

        var kinds = faults.Order(StringComparer.Ordinal).ToList();
        while (true)
        {
            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_heal is null)
            {
                await StartAsync(kinds[random.Next(kinds.Count)]);
            }
            else
            {
                await HealAsync();
            }
        }
    }

    /// <summary>Ends whatever fault is active (called before the final phase).</summary>
    public async Task HealAsync()
    {
        if (Interlocked.Exchange(ref _heal, null) is { } heal)
        {
            await heal();
        }
    }

    private async Task StartAsync(string kind)
    {
        var names = nodes.Select(n => n.Id).ToList();
        switch (kind)
        {
            case "partition":
                var (description, cut) = PartitionPlans.Pick(names, random);
                network.Partition(cut);
                Record(description);
                _heal = () =>
                {
                    network.Heal();
                    Record("partition healed");
                    return Task.CompletedTask;
                };
                break;
            case "pause":
                var paused = nodes[random.Next(nodes.Count)];
                paused.Pause();
                Record($"paused {paused.Id}");
                _heal = () =>
                {
                    paused.Resume();
                    Record($"resumed {paused.Id}");
                    return Task.CompletedTask;
                };
                break;
            case "kill":
                var victim = nodes[random.Next(nodes.Count)];
                await victim.KillAsync();
                Record($"killed {victim.Id}");
                _heal = async () =>
                {
                    victim.Start();
                    await reinitialize(victim);
                    Record($"restarted {victim.Id}");
                };
                break;
        }
    }

    private void Record(string description)
    {
        lock (_events)
        {
            _events.Add(new NemesisEvent(clock.Elapsed.TotalMilliseconds, description));
        }
    }
}
