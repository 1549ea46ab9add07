namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// The partitions Maelstrom's nemesis starts, as Jepsen 0.3.7 builds them (jepsen.nemesis.combined's
/// <c>grudge</c> over the <c>partition-specs</c> of a database without primaries): one node isolated, a
/// minority of under a third split off, a clean majority/minority split, and a ring of overlapping
/// majorities. Only the given nodes ever appear in a grudge: clients and services are never cut.
/// </summary>
internal static class PartitionPlans
{
    /// <summary>Picks one of the four specs uniformly, as Jepsen's <c>rand-nth</c> over its targets does.</summary>
    public static (string Description, Grudge Grudge) Pick(IReadOnlyList<string> nodes, Random random) =>
        random.Next(4) switch
        {
            0 => One(nodes, random),
            1 => MinorityThird(nodes, random),
            2 => Majority(nodes, random),
            _ => MajoritiesRing(nodes, random),
        };

    /// <summary><c>:one</c>, <c>(complete-grudge (split-one nodes))</c>: a random node alone, the rest together.</summary>
    public static (string Description, Grudge Grudge) One(IReadOnlyList<string> nodes, Random random)
    {
        var loner = nodes[random.Next(nodes.Count)];
        string[] alone = [loner];
        var rest = nodes.Where(node => node != loner).ToList();
        return ($"partition one: {Components(alone, rest)}", Grudge.Complete([alone, rest]));
    }

    /// <summary>
    /// <c>:minority-third</c>, <c>(complete-grudge (split-at (minority-third n) (shuffle nodes)))</c>: the
    /// largest number of nodes strictly under a third split off. For three nodes that is none, so the grudge
    /// cuts nothing; Jepsen does the same, and a run spends that partition's time unpartitioned.
    /// </summary>
    public static (string Description, Grudge Grudge) MinorityThird(IReadOnlyList<string> nodes, Random random)
    {
        var shuffled = Shuffled(nodes, random);
        var count = MinorityThirdOf(nodes.Count);
        var minority = shuffled[..count];
        var rest = shuffled[count..];
        var grudge = Grudge.Complete([minority, rest]);
        return count == 0
            ? ($"partition minority-third: under a third of {nodes.Count} nodes is none, so nothing is cut", grudge)
            : ($"partition minority-third: {Components(minority, rest)}", grudge);
    }

    /// <summary>
    /// <c>:majority</c>, <c>(complete-grudge (bisect (shuffle nodes)))</c>: a random floor(n/2) nodes (the
    /// smaller half) cut off from the rest.
    /// </summary>
    public static (string Description, Grudge Grudge) Majority(IReadOnlyList<string> nodes, Random random)
    {
        var shuffled = Shuffled(nodes, random);
        var smaller = shuffled[..(nodes.Count / 2)];
        var larger = shuffled[(nodes.Count / 2)..];
        return ($"partition majority: {Components(smaller, larger)}", Grudge.Complete([smaller, larger]));
    }

    /// <summary>
    /// <c>:majorities-ring</c>, Jepsen's <c>majorities-ring</c>: every node hears a majority (itself
    /// included) but no two hear the same one. Exact for up to five nodes, stochastic beyond.
    /// </summary>
    public static (string Description, Grudge Grudge) MajoritiesRing(IReadOnlyList<string> nodes, Random random)
    {
        var grudge = nodes.Count <= 5 ? MajoritiesRingPerfect(nodes, random) : MajoritiesRingStochastic(nodes, random);
        return ($"partition majorities-ring: {grudge.Describe()}", grudge);
    }

    /// <summary>
    /// <c>majorities-ring-perfect</c>: shuffle the nodes into a ring and slide a window of a majority along it
    /// one node at a time; each window's middle node hears exactly that window. With three nodes the windows
    /// are pairs and each node drops one other, all one way round the ring: a hears b but b drops a.
    /// </summary>
    public static Grudge MajoritiesRingPerfect(IReadOnlyList<string> nodes, Random random)
    {
        var ring = Shuffled(nodes, random);
        var size = MajorityOf(nodes.Count);
        return new Grudge(Enumerable.Range(0, ring.Length).Select(start =>
        {
            var window = Enumerable.Range(start, size).Select(i => ring[i % ring.Length]).ToList();
            return KeyValuePair.Create(window[size / 2], ring.Except(window, StringComparer.Ordinal));
        }));
    }

    /// <summary>
    /// <c>majorities-ring-stochastic</c>: start with every node connected to itself only; repeatedly take a
    /// least-connected node (ties broken at random) and link it both ways to the least-connected node it is
    /// not yet linked to, until the least-connected node hears a majority; then drop everything unlinked.
    /// </summary>
    public static Grudge MajoritiesRingStochastic(IReadOnlyList<string> nodes, Random random)
    {
        var majority = MajorityOf(nodes.Count);
        var connections = nodes.ToDictionary(node => node, node => new HashSet<string>([node], StringComparer.Ordinal), StringComparer.Ordinal);
        var byDegree = new SortedDictionary<int, SortedSet<string>> { [1] = new(nodes, StringComparer.Ordinal) };
        while (true)
        {
            // Jepsen rebuilds this list, every bucket shuffled, on each step.
            var byLeastDegree = byDegree.SelectMany(bucket => Shuffled([.. bucket.Value], random).Select(node => (Degree: bucket.Key, Node: node))).ToList();
            var (aDegree, a) = byLeastDegree[0];
            if (aDegree >= majority)
            {
                return Grudge.FromConnections(nodes, connections);
            }

            var (bDegree, b) = byLeastDegree.First(candidate => !connections[a].Contains(candidate.Node));
            connections[a].Add(b);
            connections[b].Add(a);
            byDegree[aDegree].Remove(a);
            byDegree[bDegree].Remove(b);
            AddToBucket(byDegree, aDegree + 1, a);
            AddToBucket(byDegree, bDegree + 1, b);
        }
    }

    /// <summary>Jepsen's <c>util/majority</c>: the smallest integer strictly greater than half.</summary>
    public static int MajorityOf(int count) => (count / 2) + 1;

    /// <summary>Jepsen's <c>util/minority-third</c>: the largest integer strictly less than a third.</summary>
    public static int MinorityThirdOf(int count) => (count - 1) / 3;

    private static void AddToBucket(SortedDictionary<int, SortedSet<string>> byDegree, int degree, string node)
    {
        if (!byDegree.TryGetValue(degree, out var bucket))
        {
            byDegree[degree] = bucket = new SortedSet<string>(StringComparer.Ordinal);
        }

        bucket.Add(node);
    }

    private static string[] Shuffled(IEnumerable<string> nodes, Random random)
    {
        var shuffled = nodes.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private static string Components(IEnumerable<string> first, IEnumerable<string> second) =>
        $"[{string.Join(' ', first.Order(StringComparer.Ordinal))}] | [{string.Join(' ', second.Order(StringComparer.Ordinal))}]";
}
