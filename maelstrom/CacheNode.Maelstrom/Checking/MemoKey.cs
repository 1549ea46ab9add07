namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The exact part of a search configuration: which required operations are linearized, and the register
/// state after them. (Which optional operations were used is compared by inclusion, not equality: see
/// <see cref="FailedConfigurations"/>.)
/// </summary>
/// <param name="Low">How many leading words of the required-operation bitset are all ones (not stored).</param>
/// <param name="State">The register state.</param>
/// <param name="MustConsume">True if the state was just left by an optional operation, so the next step must
/// consume it: such a configuration can do less than the same one without the obligation.</param>
/// <param name="Words">The required-operation words from <paramref name="Low"/> up to the last non-zero one:
/// a canonical and, because required operations are numbered in completion order, short encoding.</param>
/// <param name="Hash">Zobrist hash of the set and state, maintained incrementally by <see cref="LinearizedSet"/>.</param>
internal readonly record struct MemoKey(int Low, int? State, bool MustConsume, ulong[] Words, ulong Hash)
{
    public bool Equals(MemoKey other) =>
        Hash == other.Hash && Low == other.Low && State == other.State && MustConsume == other.MustConsume && Words.AsSpan().SequenceEqual(other.Words);

    // The obligation is left out of the hash so that both variants of a configuration share a bucket.
    public override int GetHashCode() => (int)(Hash ^ (Hash >> 32));
}
