using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;
using CacheNode.Maelstrom.Report;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>Each side of a partition, from the counters sampled at its start and end.</summary>
public sealed class PartitionSidesTests
{
    [Fact]
    public void Counters_between_samples_go_to_the_side_each_node_was_on_and_reads_a_cut_off_home_forced_are_left_out()
    {
        var cut = Grudge.Complete([["n1", "n2"], ["n3"]]);
        IReadOnlyList<StatsSample> samples =
        [
            Sample(0, Grudge.None, ("n1", 0, 0, 0, 0), ("n2", 0, 0, 0, 0), ("n3", 0, 0, 0, 0)),
            Sample(1000, cut, ("n1", 8, 2, 0, 2), ("n2", 9, 1, 0, 1), ("n3", 1, 1, 0, 1)),
            Sample(2000, Grudge.None, ("n1", 14, 6, 2, 6), ("n2", 15, 5, 2, 5), ("n3", 1, 11, 10, 11)),
            // n3 restarted: its counters begin again, so its last window says nothing.
            Sample(3000, Grudge.None, ("n1", 14, 6, 2, 6), ("n2", 15, 5, 2, 5), ("n3", 0, 0, 0, 0)),
        ];
        OpRecord[] history = [Op("n1", 500), Op("n1", 1500), Op("n3", 1600), Op("n3", 1700), Op("n3", 2500, finalRead: true)];

        var sides = PartitionSides.Of(samples, history);

        sides.Select(s => s.Side).Should().Equal(PartitionSides.Unpartitioned, "n1 n2", "n3");
        var majority = sides.Single(s => s.Side == "n1 n2");
        majority.HitRatio.Should().BeApproximately(12.0 / 20, 1e-9);
        majority.HitRatioOnReachableHomes.Should().BeApproximately(12.0 / 16, 1e-9, "4 reads went to the database because n3, their keys' home, was cut off");
        majority.Ops.Should().Be(1);
        majority.DatabaseRequestsPerOp.Should().Be(8);
        var minority = sides.Single(s => s.Side == "n3");
        minority.HitRatio.Should().Be(0);
        minority.Ops.Should().Be(2);
        sides[0].HitRatio.Should().BeApproximately(18.0 / 22, 1e-9, "before the partition, and nothing after it but n3's restart");
    }

    private static StatsSample Sample(double atMs, Grudge grudge, params (string Node, long Hits, long Misses, long Unreachable, long DbReads)[] nodes) =>
        new(atMs, grudge, nodes.ToDictionary(
            n => n.Node,
            n => (JsonObject?)new JsonObject { ["hits"] = n.Hits, ["misses"] = n.Misses, ["home_unreachable_reads"] = n.Unreachable, ["db_reads"] = n.DbReads, ["db_writes"] = 0L }));

    private static OpRecord Op(string node, double completeMs, bool finalRead = false) =>
        new(0, 0, "c0", node, OpKind.Read, "1", null, null, 0, (long)(completeMs * 1e6), OpStatus.Ok, null, null, finalRead);
}
