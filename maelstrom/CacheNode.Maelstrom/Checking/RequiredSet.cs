using System.Numerics;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// An immutable set of required operations in the compact form <see cref="MemoKey"/> uses: the number of
/// leading all-ones words, then the words up to the last non-zero one. Required operations are numbered in
/// completion order, so the set is nearly a prefix and the stored window is a word or two.
/// </summary>
internal readonly record struct RequiredSet(int Low, ulong[] Words)
{
    public static RequiredSet Empty { get; } = new(0, []);

    public bool Contains(int op)
    {
        var word = (op >> 6) - Low;
        return word < 0 || (word < Words.Length && (Words[word] & (1UL << (op & 63))) != 0);
    }

    /// <summary>The lowest operation not in the set: the first required operation still to complete.</summary>
    public int FirstMissing() =>
        Words.Length == 0 ? Low * 64 : ((Low * 64) + BitOperations.TrailingZeroCount(~Words[0]));

    public RequiredSet With(int op)
    {
        var word = op >> 6;
        var words = new ulong[Math.Max(Words.Length, word - Low + 1)];
        Words.CopyTo(words, 0);
        words[word - Low] |= 1UL << (op & 63);
        var skip = 0;
        while (skip < words.Length && words[skip] == ulong.MaxValue)
        {
            skip++;
        }

        return new RequiredSet(Low + skip, words[skip..]);
    }

    public MemoKey KeyWith(int? state)
    {
        var hash = ((ulong)(uint)Low * 0x9E3779B97F4A7C15UL) ^ (state is int value ? (ulong)(uint)value + 1 : 0);
        foreach (var word in Words)
        {
            hash = BitOperations.RotateLeft(hash, 23) ^ (word * 0xBF58476D1CE4E5B9UL);
        }

        hash ^= hash >> 29;
        return new MemoKey(Low, state, MustConsume: false, Words, hash * 0x94D049BB133111EBUL);
    }
}
