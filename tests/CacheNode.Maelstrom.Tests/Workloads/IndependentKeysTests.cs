using System.Diagnostics;
using CacheNode.Maelstrom.Clients;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Tests.Services;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

/// <summary>Jepsen's independent lin-kv generator: groups of 2n threads on one key, readers, the 20-process limit.</summary>
public sealed class IndependentKeysTests : IAsyncDisposable
{
    // A network for the threads' clients; nothing is sent over it.
    private readonly ServiceHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public void The_first_n_threads_only_read_and_the_rest_write_and_cas_one_to_two_all_on_key_0()
    {
        var threads = Threads(nodeCount: 3, concurrency: 6);
        var keys = new IndependentKeys(3, threads, new Random(3));

        var ops = Enumerable.Range(0, 6000).Select(i => (Thread: threads[i % 6], Op: keys.Next(threads[i % 6]))).ToList();

        ops.Where(o => o.Thread.Index < 3).Should().OnlyContain(o => o.Op.Kind == OpKind.Read);
        var writers = ops.Where(o => o.Thread.Index >= 3).Select(o => o.Op).ToList();
        writers.Should().OnlyContain(op => op.Kind != OpKind.Read);
        ((double)writers.Count(op => op.Kind == OpKind.Cas) / writers.Count(op => op.Kind == OpKind.Write)).Should().BeApproximately(2, 0.2);
        writers.Should().OnlyContain(op => op.Value >= 0 && op.Value < 5 && (op.Kind == OpKind.Write || (op.From >= 0 && op.From < 5)));
        ops.Should().OnlyContain(o => o.Op.Key == 0, "no process ended indeterminate, so the key never changes");
    }

    [Fact]
    public void A_key_is_done_once_more_than_20_processes_would_have_touched_it()
    {
        var threads = Threads(nodeCount: 3, concurrency: 6);
        var keys = new IndependentKeys(3, threads, new Random(3));
        var writer = threads[4];
        keys.Next(writer).Key.Should().Be(0);

        // 6 processes to begin with; each indeterminate outcome retires one and brings a new one.
        for (var infos = 0; infos < 14; infos++)
        {
            writer.Completed(OpStatus.Info);
            keys.Next(writer).Key.Should().Be(0, $"{7 + infos} processes so far");
        }

        writer.Completed(OpStatus.Info);
        keys.Next(writer).Key.Should().Be(1, "a 21st process would exceed the limit");
        keys.Next(threads[0]).Key.Should().Be(1, "the whole group moved on");
        writer.Completed(OpStatus.Fail);
        keys.Next(writer).Key.Should().Be(1, "a definite failure keeps the process");
    }

    [Fact]
    public void With_two_groups_each_has_its_own_key_and_only_the_first_has_readers()
    {
        var threads = Threads(nodeCount: 2, concurrency: 8);
        var keys = new IndependentKeys(2, threads, new Random(3));

        var ops = threads.Select(t => (t.Index, Op: keys.Next(t))).ToList();

        ops.Where(o => o.Index < 4).Should().OnlyContain(o => o.Op.Key == 0);
        ops.Where(o => o.Index >= 4).Should().OnlyContain(o => o.Op.Key == 1);
        ops.Where(o => o.Op.Kind == OpKind.Read).Select(o => o.Index).Should().BeEquivalentTo([0, 1],
            "Jepsen's reserve counts thread ranges from 0 (its own TODO says so), so the second group gets no readers");
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, 9)]
    public void Concurrency_must_be_a_multiple_of_twice_the_node_count(int nodeCount, int concurrency)
    {
        var create = () => new IndependentKeys(nodeCount, Threads(nodeCount, concurrency), new Random(1));

        create.Should().Throw<ArgumentException>().WithMessage($"*multiple of {2 * nodeCount}*");
    }

    private List<ClientThread> Threads(int nodeCount, int concurrency)
    {
        var history = new HistoryRecorder(Stopwatch.StartNew());
        return [.. Enumerable.Range(0, concurrency).Select(i =>
            new ClientThread(i, concurrency, new Client($"c{i}", _harness.Network), $"n{i % nodeCount}", history, TimeSpan.FromSeconds(1)))];
    }
}
