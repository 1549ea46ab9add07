using CacheNode.Cluster;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.Cluster;

public sealed class KeyOwnershipTests
{
    [Fact]
    public void Every_node_computes_the_same_owner_whatever_order_init_listed_the_ids_in()
    {
        var a = new KeyOwnership(["n1", "n2", "n3"]);
        var b = new KeyOwnership(["n3", "n1", "n2"]);

        for (var key = 0; key < 500; key++)
        {
            b.OwnerOf(Int(key)).Should().Be(a.OwnerOf(Int(key)));
        }
    }

    [Fact]
    public void Keys_spread_over_all_nodes()
    {
        var ownership = new KeyOwnership(["n1", "n2", "n3", "n4", "n5"]);

        var counts = Enumerable.Range(0, 5000).GroupBy(key => ownership.OwnerOf(Int(key))).ToDictionary(g => g.Key, g => g.Count());

        counts.Keys.Should().BeEquivalentTo(["n1", "n2", "n3", "n4", "n5"]);
        counts.Values.Should().OnlyContain(n => n > 800 && n < 1200, "about a fifth each");
    }

    [Fact]
    public void Removing_a_node_moves_only_the_keys_it_owned()
    {
        var five = new KeyOwnership(["n1", "n2", "n3", "n4", "n5"]);
        var four = new KeyOwnership(["n1", "n2", "n3", "n4"]);

        for (var key = 0; key < 2000; key++)
        {
            var before = five.OwnerOf(Int(key));
            if (before != "n5")
            {
                four.OwnerOf(Int(key)).Should().Be(before);
            }
        }
    }

    [Fact]
    public void Rank_starts_with_the_owner_and_names_every_node_once()
    {
        var ownership = new KeyOwnership(["n1", "n2", "n3"]);

        var rank = ownership.Rank(Json("\"k\""));

        rank[0].Should().Be(ownership.OwnerOf(Json("\"k\"")));
        rank.Should().BeEquivalentTo(["n1", "n2", "n3"]);
    }
}
