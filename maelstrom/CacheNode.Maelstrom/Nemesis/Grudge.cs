using System.Collections.Immutable;

namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// A partition as Jepsen states it: each receiving node and the senders whose messages it drops. A grudge
/// is one-directional (a may drop b while b hears a), and Maelstrom's network applies it at the receiver:
/// a message is lost when its src is in its dest's grudge. Nodes not named hear everyone.
/// </summary>
internal sealed class Grudge
{
    /// <summary>Takes a copy of <paramref name="droppedBy"/>: receiver to the senders it drops.</summary>
    public Grudge(IEnumerable<KeyValuePair<string, IEnumerable<string>>> droppedBy) =>
        DroppedBy = droppedBy.ToImmutableSortedDictionary(
            entry => entry.Key,
            entry => (IReadOnlySet<string>)entry.Value.ToImmutableSortedSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

    /// <summary>No partition: every message gets through.</summary>
    public static Grudge None { get; } = new([]);

    /// <summary>Each receiver named in the grudge (possibly with no one to drop) and the senders it drops, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> DroppedBy { get; }

    /// <summary>True when no message is dropped at all.</summary>
    public bool IsEmpty => DroppedBy.Values.All(senders => senders.Count == 0);

    /// <summary>
    /// Jepsen's <c>complete-grudge</c>: nodes hear only the nodes of their own component (components are
    /// disjoint sets of nodes; an empty one contributes nothing).
    /// </summary>
    public static Grudge Complete(IEnumerable<IEnumerable<string>> components)
    {
        var sets = components.Select(c => c.ToHashSet(StringComparer.Ordinal)).ToList();
        var universe = sets.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        return new Grudge(sets.SelectMany(component => component.Select(node =>
            KeyValuePair.Create(node, universe.Except(component, StringComparer.Ordinal)))));
    }

    /// <summary>
    /// Jepsen's <c>invert-grudge</c>: from the nodes each node should stay connected to, the grudge that
    /// drops everyone else (a node with no connections listed drops every node, itself included).
    /// </summary>
    public static Grudge FromConnections(IEnumerable<string> nodes, IReadOnlyDictionary<string, HashSet<string>> connections)
    {
        var universe = nodes.ToHashSet(StringComparer.Ordinal);
        return new Grudge(universe.Select(node => KeyValuePair.Create(node,
            universe.Except(connections.TryGetValue(node, out var connected) ? connected : [], StringComparer.Ordinal))));
    }

    /// <summary>True when <paramref name="dest"/> drops messages from <paramref name="src"/>.</summary>
    public bool Drops(string src, string dest) => DroppedBy.TryGetValue(dest, out var senders) && senders.Contains(src);

    /// <summary>The grudge as "receiver drops senders" clauses, e.g. <c>n0 drops n1 n2; n1 drops n0</c>.</summary>
    public string Describe()
    {
        var clauses = DroppedBy.Where(entry => entry.Value.Count > 0).Select(entry => $"{entry.Key} drops {string.Join(' ', entry.Value)}").ToList();
        return clauses.Count == 0 ? "nothing dropped" : string.Join("; ", clauses);
    }

    public override string ToString() => Describe();
}
