using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Tests.Net;

/// <summary>Jepsen's partition shapes, as Maelstrom draws them.</summary>
public sealed class PartitionPlansTests
{
    private static string[] Nodes(int n) => [.. Enumerable.Range(0, n).Select(i => $"n{i}")];

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void One_isolates_a_single_node_both_ways(int n)
    {
        var nodes = Nodes(n);
        var grudge = PartitionPlans.One(nodes, new Random(n));

        var alone = nodes.Single(a => nodes.Where(b => b != a).All(b => grudge.Drops(a, b) && grudge.Drops(b, a)));
        foreach (var a in nodes.Where(x => x != alone))
        {
            nodes.Where(b => b != alone && b != a).Should().OnlyContain(b => !grudge.Drops(a, b));
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(9, 4)]
    public void Majority_cuts_the_smaller_half_off_cleanly(int n, int minority)
    {
        var nodes = Nodes(n);
        var grudge = PartitionPlans.Majority(nodes, new Random(n));

        var cutOff = nodes.Count(a => nodes.Count(b => b != a && !grudge.Drops(b, a)) == minority - 1);
        cutOff.Should().Be(minority);
        foreach (var a in nodes)
        {
            foreach (var b in nodes)
            {
                grudge.Drops(a, b).Should().Be(grudge.Drops(b, a), "a clean split is symmetric");
            }
        }
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(5, 1)]
    [InlineData(9, 2)]
    [InlineData(15, 4)]
    public void Minority_third_splits_off_fewer_than_a_third_which_for_three_nodes_is_none(int n, int minority)
    {
        var nodes = Nodes(n);
        var grudge = PartitionPlans.MinorityThird(nodes, new Random(n));

        var isolatedPairs = nodes.Sum(a => nodes.Count(b => grudge.Drops(a, b)));
        isolatedPairs.Should().Be(2 * minority * (n - minority));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(15)]
    public void Majorities_ring_lets_every_node_hear_a_majority_and_no_two_the_same(int n)
    {
        var nodes = Nodes(n);
        var grudge = PartitionPlans.MajoritiesRing(nodes, new Random(n));

        var heard = nodes.ToDictionary(d => d, d => string.Join(',', nodes.Where(s => !grudge.Drops(s, d))));
        nodes.Should().OnlyContain(d => heard[d].Split(',').Length >= (n / 2) + 1);
        nodes.Should().Contain(d => nodes.Any(s => grudge.Drops(s, d)), "something is cut");
        if (n <= 5)
        {
            heard.Values.Distinct().Should().HaveCount(n, "no two nodes see the same majority");
        }
    }

    [Fact]
    public void Majorities_ring_of_three_is_one_way()
    {
        var nodes = Nodes(3);
        var grudge = PartitionPlans.MajoritiesRing(nodes, new Random(1));

        foreach (var dest in nodes)
        {
            nodes.Count(src => grudge.Drops(src, dest)).Should().Be(1, "each node drops exactly one other");
            nodes.Where(src => grudge.Drops(src, dest)).Should().OnlyContain(src => !grudge.Drops(dest, src), "who it drops still hears it");
        }
    }

    [Fact]
    public void Pick_draws_all_four_shapes()
    {
        var random = new Random(7);
        var shapes = Enumerable.Range(0, 200).Select(_ => PartitionPlans.Pick(Nodes(5), random).Description.Split(':')[0]).ToHashSet();

        shapes.Should().BeEquivalentTo(["partition one", "partition minority-third", "partition majority", "partition majorities-ring"]);
    }
}
