using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Tests.Net;

public sealed class PartitionPlansTests
{
    private static readonly string[] Three = ["n0", "n1", "n2"];
    private static readonly string[] Five = ["n0", "n1", "n2", "n3", "n4"];

    [Fact]
    public void Halves_cut_exactly_the_traffic_between_the_halves()
    {
        var (_, cut) = PartitionPlans.Halves(Five, new Random(1));

        var component = Five.ToDictionary(n => n, n => Five.Where(m => !cut(n, m)).Order(StringComparer.Ordinal).First());
        component.Values.Distinct().Should().HaveCount(2);
        foreach (var a in Five)
        {
            foreach (var b in Five)
            {
                cut(a, b).Should().Be(component[a] != component[b], $"{a}->{b}");
            }
        }
    }

    [Fact]
    public void Isolating_one_node_cuts_its_links_and_only_its_links()
    {
        var (description, cut) = PartitionPlans.IsolateOne(Three, new Random(2));
        var alone = Three.Single(n => description.EndsWith(n, StringComparison.Ordinal));

        foreach (var a in Three)
        {
            foreach (var b in Three.Where(b => b != a))
            {
                cut(a, b).Should().Be(a == alone || b == alone);
            }
        }
    }

    [Fact]
    public void In_a_majority_ring_every_node_sees_a_majority_but_not_all_the_same_one()
    {
        var (_, cut) = PartitionPlans.MajorityRing(Five, new Random(3));

        var views = Five.Select(a => Five.Where(b => !cut(a, b)).Order(StringComparer.Ordinal).ToList()).ToList();
        views.Should().OnlyContain(view => view.Count >= 3);
        views.Select(v => string.Join(',', v)).Distinct().Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public void Partitions_never_cut_clients_or_services()
    {
        var (_, cut) = PartitionPlans.Halves(Three, new Random(4));

        foreach (var node in Three)
        {
            cut("c1", node).Should().BeFalse();
            cut(node, "lin-kv").Should().BeFalse();
            cut("lin-kv", node).Should().BeFalse();
        }
    }
}
