namespace CacheNode.Maelstrom.Nemesis;

/// <summary>
/// A Jepsen grudge: each receiving node and the senders whose messages it drops. One-directional, as
/// Maelstrom's network applies it (net.clj <c>drop!</c>: the receiver drops packets from the source).
/// </summary>
internal sealed class Grudge(IReadOnlyDictionary<string, IReadOnlySet<string>> drops)
{
    public static Grudge None { get; } = new(new Dictionary<string, IReadOnlySet<string>>());

    /// <summary>True if <paramref name="dest"/> drops what <paramref name="src"/> sends it.</summary>
    public bool Drops(string src, string dest) => drops.TryGetValue(dest, out var refused) && refused.Contains(src);

    public string Describe() => drops.Count == 0 || drops.Values.All(s => s.Count == 0)
        ? "nothing cut"
        : string.Join("; ", drops.Where(p => p.Value.Count > 0).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} drops {string.Join(' ', p.Value.Order(StringComparer.Ordinal))}"));

    /// <summary>Jepsen's complete-grudge: no node hears anyone outside its own component.</summary>
    public static Grudge Complete(IEnumerable<IEnumerable<string>> components)
    {
        var sets = components.Select(c => c.ToHashSet(StringComparer.Ordinal)).ToList();
        var universe = sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        var drops = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var component in sets)
        {
            foreach (var node in component)
            {
                drops[node] = universe.Except(component).ToHashSet(StringComparer.Ordinal);
            }
        }

        return new Grudge(drops);
    }
}
