using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Run;

/// <summary>The end-of-run check: a key is lost when only the direct database read makes its history invalid.</summary>
public sealed class DatabaseReadBackTests
{
    private readonly LinKvWorkload _workload = LinKvWorkload.Uniform(new KeyChooser(3, 0), 0.5, new Random(1), availability: null);
    private int _nextId;

    [Fact]
    public void Database_that_lacks_the_last_acked_write_is_a_lost_write_and_a_matching_one_is_not()
    {
        var history = new List<OpRecord>
        {
            Op(1, "n0", OpKind.Write, "1", 3, 0, 10),
            Op(2, "n1", OpKind.Read, "1", 3, 20, 30),
            Op(3, "n0", OpKind.Write, "2", 4, 0, 10),
            // The database still holds key 1's value from before: the acked write of 3 is lost.
            Op(100, DatabaseReadBack.ReaderName, OpKind.Read, "1", 1, 100, 100),
            Op(101, DatabaseReadBack.ReaderName, OpKind.Read, "2", 4, 100, 100),
        };

        var verdict = _workload.Check(history, CancellationToken.None);

        verdict.Valid.Should().BeFalse();
        DatabaseReadBack.LostKeys(_workload, history, verdict, CancellationToken.None).Should().Equal("1");
    }

    [Fact]
    public void Key_whose_clients_already_saw_a_stale_value_is_not_counted_as_lost()
    {
        var history = new List<OpRecord>
        {
            Op(1, "n0", OpKind.Write, "1", 3, 0, 10),
            Op(2, "n1", OpKind.Read, "1", 1, 20, 30),
            Op(100, DatabaseReadBack.ReaderName, OpKind.Read, "1", 1, 100, 100),
        };

        var verdict = _workload.Check(history, CancellationToken.None);

        verdict.InvalidKeys.Should().Equal("1");
        DatabaseReadBack.LostKeys(_workload, history, verdict, CancellationToken.None).Should().BeEmpty("the clients' own reads already make it invalid");
    }

    [Fact]
    public void Indefinite_write_may_or_may_not_be_in_the_database()
    {
        foreach (var inDatabase in new int?[] { 3, 4 })
        {
            var history = new List<OpRecord>
            {
                Op(1, "n0", OpKind.Write, "1", 3, 0, 10),
                Op(2, "n0", OpKind.Write, "1", 4, 20, 30, OpStatus.Info),
                Op(100, DatabaseReadBack.ReaderName, OpKind.Read, "1", inDatabase, 100, 100),
            };

            _workload.Check(history, CancellationToken.None).Valid.Should().BeTrue();
        }
    }

    private OpRecord Op(int process, string node, OpKind kind, string key, int? value, long invokeMs, long completeMs, OpStatus status = OpStatus.Ok) =>
        new(_nextId++, process, "c", node, kind, key, value, null, invokeMs * 1_000_000, completeMs * 1_000_000, status, null, null, node == DatabaseReadBack.ReaderName);
}
