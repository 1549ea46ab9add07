namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// The shapes of partition Jepsen uses: random halves, one node isolated, and (five nodes or more) a
/// majority ring where every node sees a majority but no two see the same one. Each plan maps a node to
/// its component label or, for the ring, says which pairs are cut.
/// </summary>
internal static class PartitionPlans
{
    public static (string Description, Func<string, string, bool> Cut) Pick(IReadOnlyList<string> nodes, Random random)
    {
        var choice = random.Next(nodes.Count >= 5 ? 3 : 2);
        return choice switch
        {
            0 => Halves(nodes, random),
            1 => IsolateOne(nodes, random),
            _ => MajorityRing(nodes, random),
        };
    }

    public static (string Description, Func<string, string, bool> Cut) Halves(IReadOnlyList<string> nodes, Random random)
    {
        var shuffled = nodes.OrderBy(_ => random.Next()).ToList();
        var first = shuffled.Take(nodes.Count / 2).ToHashSet(StringComparer.Ordinal);
        var second = shuffled.Skip(nodes.Count / 2).ToList();
        return ($"partition halves [{string.Join(' ', first.Order(StringComparer.Ordinal))}] | [{string.Join(' ', second.Order(StringComparer.Ordinal))}]",
            (a, b) => IsNode(a, nodes) && IsNode(b, nodes) && first.Contains(a) != first.Contains(b));
    }

    public static (string Description, Func<string, string, bool> Cut) IsolateOne(IReadOnlyList<string> nodes, Random random)
    {
        var alone = nodes[random.Next(nodes.Count)];
        return ($"partition isolating {alone}",
            (a, b) => IsNode(a, nodes) && IsNode(b, nodes) && a != b && (a == alone || b == alone));
    }

    public static (string Description, Func<string, string, bool> Cut) MajorityRing(IReadOnlyList<string> nodes, Random random)
    {
        var ring = nodes.OrderBy(_ => random.Next()).ToList();
        var position = ring.Select((node, index) => (node, index)).ToDictionary(p => p.node, p => p.index, StringComparer.Ordinal);
        var reach = nodes.Count / 2 / 2 + (nodes.Count / 2 % 2);
        return ($"majority ring [{string.Join(' ', ring)}]",
            (a, b) =>
            {
                if (!position.TryGetValue(a, out var i) || !position.TryGetValue(b, out var j))
                {
                    return false;
                }

                var distance = Math.Abs(i - j);
                return Math.Min(distance, ring.Count - distance) > reach;
            });
    }

    // Only node-to-node traffic is cut: clients and services stay reachable, as in Maelstrom, where a
    // partition separates nodes from each other.
    private static bool IsNode(string id, IReadOnlyList<string> nodes) => nodes.Contains(id, StringComparer.Ordinal);
}
