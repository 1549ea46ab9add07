namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The exact part of a search configuration: which required operations are linearized, the register state
/// after them, and whether a consumer is owed. (Which optional operations were used is compared by inclusion,
/// not equality: see <see cref="ExploredConfigurations"/>.)
/// </summary>
/// <param name="Low">How many leading words of the required-operation bitset are all ones (not stored).</param>
/// <param name="State">The register state.</param>
/// <param name="MustConsume">True if the state was just left by an optional operation, so the next step must
/// consume it: such a configuration can do less than the same one without the obligation.</param>
/// <param name="First">The word at <paramref name="Low"/> (zero if no later word has a bit set).</param>
/// <param name="Rest">The following words up to the last non-zero one; usually none. Required operations are
/// numbered in completion order, so the set is nearly a prefix and the window is short: keeping its first
/// word inline saves an allocation per configuration, the search's main memory cost.</param>
/// <param name="Hash">Zobrist hash of the set and state, maintained incrementally by <see cref="LinearizedSet"/>.</param>
internal readonly record struct MemoKey(int Low, int? State, bool MustConsume, ulong First, ulong[] Rest, ulong Hash)
{
    public bool Equals(MemoKey other) =>
        Hash == other.Hash && Low == other.Low && First == other.First && State == other.State
        && MustConsume == other.MustConsume && Rest.AsSpan().SequenceEqual(other.Rest);

    // The obligation is left out of the hash so that both variants of a configuration share a bucket.
    public override int GetHashCode() => (int)(Hash ^ (Hash >> 32));
}
