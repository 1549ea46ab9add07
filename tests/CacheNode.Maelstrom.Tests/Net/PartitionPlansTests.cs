using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Tests.Net;

/// <summary>
/// The grudges Jepsen 0.3.7's partition specs build, checked shape by shape on 3, 5, 9 and 15 nodes, over
/// several seeds each. Every test name says Grudge so one filter finds them all.
/// </summary>
public sealed class PartitionPlansTests
{
    private const int SeedsPerShape = 20;

    public static TheoryData<int> ClusterSizes => [3, 5, 9, 15];

    [Theory]
    [MemberData(nameof(ClusterSizes))]
    public void Grudge_one_isolates_a_single_node_both_ways(int count)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (description, grudge) = PartitionPlans.One(nodes, random);

            ShouldBeComplete(grudge, nodes, 1, count - 1);
            var loner = nodes.Single(node => Hears(grudge, node, nodes).Count == 1);
            description.Should().Be($"partition one: [{loner}] | [{string.Join(' ', nodes.Where(n => n != loner).Order(StringComparer.Ordinal))}]");
        }
    }

    [Theory]
    [MemberData(nameof(ClusterSizes))]
    public void Grudge_majority_cuts_the_smaller_half_from_the_larger(int count)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (description, grudge) = PartitionPlans.Majority(nodes, random);

            ShouldBeComplete(grudge, nodes, count / 2, count - (count / 2));
            description.Should().StartWith("partition majority: [");
        }
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(9, 2)]
    [InlineData(15, 4)]
    public void Grudge_minority_third_splits_off_the_most_nodes_under_a_third(int count, int minority)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (description, grudge) = PartitionPlans.MinorityThird(nodes, random);

            ShouldBeComplete(grudge, nodes, minority, count - minority);
            description.Should().StartWith("partition minority-third: [");
        }
    }

    [Fact]
    public void Grudge_minority_third_of_three_nodes_cuts_nothing_as_in_jepsen()
    {
        var nodes = Nodes(3);

        var (description, grudge) = PartitionPlans.MinorityThird(nodes, new Random(1));

        PartitionPlans.MinorityThirdOf(3).Should().Be(0);
        grudge.IsEmpty.Should().BeTrue();
        grudge.Describe().Should().Be("nothing dropped");
        description.Should().Contain("nothing is cut");
    }

    [Fact]
    public void Grudge_majorities_ring_of_three_nodes_is_one_way_round_the_ring()
    {
        foreach (var (nodes, random) in Cases(3))
        {
            var (_, grudge) = PartitionPlans.MajoritiesRing(nodes, random);

            foreach (var node in nodes)
            {
                Dropped(grudge, node, nodes).Should().ContainSingle($"{node} drops exactly one other");
                nodes.Count(other => grudge.Drops(node, other)).Should().Be(1, $"exactly one node drops {node}");
            }

            foreach (var a in nodes)
            {
                foreach (var b in nodes)
                {
                    (grudge.Drops(a, b) && grudge.Drops(b, a)).Should().BeFalse($"{a} and {b} do not drop each other");
                }
            }

            ShouldGiveEveryNodeAMajority(grudge, nodes);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Grudge_majorities_ring_of_four_or_five_nodes_is_symmetric_and_each_node_hears_exactly_a_majority(int count)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (_, grudge) = PartitionPlans.MajoritiesRing(nodes, random);

            ShouldBeSymmetric(grudge, nodes);
            nodes.Should().OnlyContain(node => Hears(grudge, node, nodes).Count == PartitionPlans.MajorityOf(count));
            nodes.Select(node => string.Join(',', Hears(grudge, node, nodes))).Should().OnlyHaveUniqueItems("no two nodes hear the same majority");
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public void Grudge_majorities_ring_of_more_than_five_nodes_links_nodes_both_ways_until_each_hears_a_majority(int count)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (_, grudge) = PartitionPlans.MajoritiesRing(nodes, random);

            ShouldBeSymmetric(grudge, nodes);
            ShouldGiveEveryNodeAMajority(grudge, nodes);
            nodes.Min(node => Hears(grudge, node, nodes).Count).Should().Be(PartitionPlans.MajorityOf(count), "linking stops once the least-linked node reaches a majority");
            grudge.IsEmpty.Should().BeFalse();
        }
    }

    [Theory]
    [MemberData(nameof(ClusterSizes))]
    public void Grudge_of_any_shape_names_only_nodes_never_drops_a_node_from_itself_and_never_cuts_clients_or_services(int count)
    {
        foreach (var (nodes, random) in Cases(count))
        {
            var (_, grudge) = PartitionPlans.Pick(nodes, random);

            grudge.DroppedBy.Keys.Concat(grudge.DroppedBy.Values.SelectMany(senders => senders)).Should().BeSubsetOf(nodes);
            nodes.Should().OnlyContain(node => !grudge.Drops(node, node));
            foreach (var node in nodes)
            {
                grudge.Drops("c1", node).Should().BeFalse();
                grudge.Drops(node, "lin-kv").Should().BeFalse();
                grudge.Drops("lin-kv", node).Should().BeFalse();
            }
        }
    }

    [Fact]
    public void Grudge_pick_draws_all_four_of_jepsens_shapes()
    {
        var nodes = Nodes(5);

        var shapes = Enumerable.Range(0, 200)
            .Select(seed => PartitionPlans.Pick(nodes, new Random(seed)).Description)
            .Select(description => description.Split(':')[0])
            .ToList();

        shapes.Distinct().Should().BeEquivalentTo(
            "partition one", "partition minority-third", "partition majority", "partition majorities-ring");
        shapes.GroupBy(shape => shape).Should().OnlyContain(group => group.Count() > 20, "the four are drawn uniformly");
    }

    [Fact]
    public void Grudge_drops_at_the_receiver_only_the_senders_it_names()
    {
        var grudge = new Grudge(new Dictionary<string, IEnumerable<string>> { ["n0"] = ["n2", "n1"], ["n1"] = [] });

        grudge.Drops("n1", "n0").Should().BeTrue("n0 drops what n1 sends");
        grudge.Drops("n0", "n1").Should().BeFalse("a grudge is one-directional");
        grudge.Drops("n0", "n2").Should().BeFalse();
        grudge.Describe().Should().Be("n0 drops n1 n2");
        Grudge.None.IsEmpty.Should().BeTrue();
        Grudge.None.Drops("n0", "n1").Should().BeFalse();
    }

    [Fact]
    public void Grudge_from_connections_drops_everyone_not_connected()
    {
        string[] nodes = ["a", "b", "c"];
        var connections = new Dictionary<string, HashSet<string>> { ["a"] = ["a", "b"], ["b"] = ["b", "a"] };

        var grudge = Grudge.FromConnections(nodes, connections);

        grudge.Describe().Should().Be("a drops c; b drops c; c drops a b c");
    }

    private static IEnumerable<(string[] Nodes, Random Random)> Cases(int count) =>
        Enumerable.Range(0, SeedsPerShape).Select(seed => (Nodes(count), new Random(seed)));

    private static string[] Nodes(int count) => [.. Enumerable.Range(0, count).Select(i => $"n{i}")];

    private static List<string> Hears(Grudge grudge, string node, IEnumerable<string> nodes) => [.. nodes.Where(sender => !grudge.Drops(sender, node))];

    private static List<string> Dropped(Grudge grudge, string node, IEnumerable<string> nodes) => [.. nodes.Where(sender => grudge.Drops(sender, node))];

    // A clean split into exactly two components of the given sizes: within a component everyone hears
    // everyone, across components no one hears anyone, in both directions.
    private static void ShouldBeComplete(Grudge grudge, string[] nodes, int smaller, int larger)
    {
        var components = nodes.Select(node => string.Join(',', Hears(grudge, node, nodes))).Distinct().ToList();
        components.Select(c => c.Split(',').Length).Should().BeEquivalentTo([smaller, larger]);
        foreach (var node in nodes)
        {
            var own = Hears(grudge, node, nodes);
            own.Should().Contain(node);
            foreach (var other in own)
            {
                Hears(grudge, other, nodes).Should().Equal(own, $"{node} and {other} are in one component");
            }
        }
    }

    private static void ShouldBeSymmetric(Grudge grudge, string[] nodes)
    {
        foreach (var a in nodes)
        {
            foreach (var b in nodes)
            {
                grudge.Drops(a, b).Should().Be(grudge.Drops(b, a), $"{a}->{b} is cut exactly when {b}->{a} is");
            }
        }
    }

    private static void ShouldGiveEveryNodeAMajority(Grudge grudge, string[] nodes)
    {
        foreach (var node in nodes)
        {
            var heard = Hears(grudge, node, nodes);
            heard.Should().Contain(node);
            heard.Count.Should().BeGreaterThanOrEqualTo(PartitionPlans.MajorityOf(nodes.Length), $"{node} hears a majority, itself included");
        }
    }
}
