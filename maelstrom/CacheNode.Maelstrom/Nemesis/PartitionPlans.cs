namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// Maelstrom's partition shapes: Jepsen 0.3.7's <c>partition-specs</c> for a database without primaries,
/// one drawn at random per partition (nemesis/combined.clj <c>grudge</c>, nemesis.clj).
/// </summary>
internal static class PartitionPlans
{
    public static (string Description, Grudge Grudge) Pick(IReadOnlyList<string> nodes, Random random) => random.Next(4) switch
    {
        0 => Described("one", One(nodes, random)),
        1 => Described("minority-third", MinorityThird(nodes, random)),
        2 => Described("majority", Majority(nodes, random)),
        _ => Described("majorities-ring", MajoritiesRing(nodes, random)),
    };

    /// <summary>:one: a single random node isolated.</summary>
    public static Grudge One(IReadOnlyList<string> nodes, Random random)
    {
        var loner = nodes[random.Next(nodes.Count)];
        return Grudge.Complete([[loner], nodes.Where(n => n != loner)]);
    }

    /// <summary>:majority: shuffled and bisected, the smaller half (⌊n/2⌋) first.</summary>
    public static Grudge Majority(IReadOnlyList<string> nodes, Random random)
    {
        var shuffled = Shuffle(nodes, random);
        return Grudge.Complete([shuffled.Take(nodes.Count / 2), shuffled.Skip(nodes.Count / 2)]);
    }

    /// <summary>:minority-third: ⌊(n−1)/3⌋ shuffled nodes split off, which for 3 nodes is none: nothing is cut.</summary>
    public static Grudge MinorityThird(IReadOnlyList<string> nodes, Random random)
    {
        var shuffled = Shuffle(nodes, random);
        var minority = (nodes.Count - 1) / 3;
        return Grudge.Complete([shuffled.Take(minority), shuffled.Skip(minority)]);
    }

    /// <summary>
    /// :majorities-ring: every node sees a majority, no two the same one. Up to 5 nodes, Jepsen's perfect
    /// ring: shuffled, each window of a majority's size, the window's middle node drops everyone outside
    /// it (with 3 nodes one-way: each node drops exactly one other, who still hears it). Above 5, the
    /// stochastic variant: link least-connected nodes until every node reaches a majority (itself
    /// included), then drop the rest both ways.
    /// </summary>
    public static Grudge MajoritiesRing(IReadOnlyList<string> nodes, Random random)
    {
        var majority = (nodes.Count / 2) + 1;
        var universe = nodes.ToHashSet(StringComparer.Ordinal);
        var drops = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (nodes.Count <= 5)
        {
            var ring = Shuffle(nodes, random);
            for (var i = 0; i < ring.Count; i++)
            {
                var window = Enumerable.Range(0, majority).Select(j => ring[(i + j) % ring.Count]).ToList();
                drops[window[window.Count / 2]] = universe.Except(window).ToHashSet(StringComparer.Ordinal);
            }

            return new Grudge(drops);
        }

        var connections = nodes.ToDictionary(n => n, n => new HashSet<string>(StringComparer.Ordinal) { n }, StringComparer.Ordinal);
        while (true)
        {
            var byDegree = Shuffle(nodes, random).OrderBy(n => connections[n].Count).ToList();
            var a = byDegree[0];
            if (connections[a].Count >= majority)
            {
                break;
            }

            var b = byDegree.First(n => !connections[a].Contains(n));
            connections[a].Add(b);
            connections[b].Add(a);
        }

        foreach (var node in nodes)
        {
            drops[node] = universe.Except(connections[node]).ToHashSet(StringComparer.Ordinal);
        }

        return new Grudge(drops);
    }

    private static (string, Grudge) Described(string spec, Grudge grudge) => ($"partition {spec}: {grudge.Describe()}", grudge);

    private static List<string> Shuffle(IReadOnlyList<string> nodes, Random random) => [.. nodes.OrderBy(_ => random.Next())];
}
