using System.Diagnostics;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Nodes;

namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// Faults on Jepsen's schedule (nemesis/combined.clj <c>partition-package</c>): start, stop, start, …
/// (<c>gen/flip-flop</c>), staggered: the first start at once, each next step after a gap drawn
/// uniformly from 0 to 2 × the interval. Partitions are Maelstrom's only fault; their shapes are
/// <see cref="PartitionPlans"/>. The runner-only process faults, pausing a node's process group
/// (SIGSTOP) or killing it (SIGKILL, then restarted with a fresh <c>init</c> when the fault stops),
/// follow the same schedule on a stream of their own.
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
    private readonly Lock _gate = new();
    private Func<Task>? _healPartition;
    private Func<Task>? _healProcess;

    /// <summary>Told each time a partition starts (its grudge) or heals (<see cref="Grudge.None"/>).</summary>
    public Action<Grudge>? PartitionChanged { get; set; }

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

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var streams = new List<Task>();
        if (faults.Contains("partition"))
        {
            streams.Add(FlipFlopAsync(StartPartition, () => Heal(ref _healPartition), cancellationToken));
        }

        var processFaults = faults.Where(f => f is "kill" or "pause").Order(StringComparer.Ordinal).ToList();
        if (processFaults.Count > 0)
        {
            streams.Add(FlipFlopAsync(() => StartProcessFaultAsync(processFaults[Next(processFaults.Count)]), () => Heal(ref _healProcess), cancellationToken));
        }

        return Task.WhenAll(streams);
    }

    /// <summary>Ends whatever faults are active (the runner-only final phase; Maelstrom's lin-kv leaves them be).</summary>
    public async Task HealAsync()
    {
        await Heal(ref _healPartition);
        await Heal(ref _healProcess);
    }

    private async Task FlipFlopAsync(Func<Task> start, Func<Task> stop, CancellationToken cancellationToken)
    {
        var starting = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            await (starting ? start() : stop());
            starting = !starting;
            try
            {
                await Task.Delay(TimeSpan.FromTicks((long)(NextDouble() * 2 * interval.Ticks)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task StartPartition()
    {
        string description;
        Grudge grudge;
        lock (_gate)
        {
            (description, grudge) = PartitionPlans.Pick([.. nodes.Select(n => n.Id)], random);
        }

        network.Partition(grudge.Drops);
        Record(description);
        PartitionChanged?.Invoke(grudge);
        Volatile.Write(ref _healPartition, () =>
        {
            network.Heal();
            Record("partition healed");
            PartitionChanged?.Invoke(Grudge.None);
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    private async Task StartProcessFaultAsync(string kind)
    {
        var victim = nodes[Next(nodes.Count)];
        if (kind == "pause")
        {
            victim.Pause();
            Record($"paused {victim.Id}");
            Volatile.Write(ref _healProcess, () =>
            {
                victim.Resume();
                Record($"resumed {victim.Id}");
                return Task.CompletedTask;
            });
            return;
        }

        await victim.KillAsync();
        Record($"killed {victim.Id}");
        Volatile.Write(ref _healProcess, async () =>
        {
            victim.Start();
            await reinitialize(victim);
            Record($"restarted {victim.Id}");
        });
    }

    private static Task Heal(ref Func<Task>? heal) => Interlocked.Exchange(ref heal, null) is { } pending ? pending() : Task.CompletedTask;

    private int Next(int count)
    {
        lock (_gate)
        {
            return random.Next(count);
        }
    }

    private double NextDouble()
    {
        lock (_gate)
        {
            return random.NextDouble();
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
