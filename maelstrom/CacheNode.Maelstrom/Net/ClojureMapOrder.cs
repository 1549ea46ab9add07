namespace CacheNode.Maelstrom.Net;

/// <summary>
/// The order in which a Clojure 1.12 map built by <c>assoc!</c> into <c>(transient {})</c> iterates its keys,
/// which is the order Maelstrom writes an object's members in. Up to 8 keys the map is an array map and keeps
/// insertion order (PersistentArrayMap.java, HASHTABLE_THRESHOLD 16 slots; TransientArrayMap.doAssoc turns it
/// into a PersistentHashMap on the 9th key). A hash map iterates its trie in index order level by level,
/// 5 bits of the key's <c>hasheq</c> per level from the lowest (PersistentHashMap.java, <c>mask</c>), and keys
/// whose whole hash is equal in insertion order (HashCollisionNode appends).
/// </summary>
internal static class ClojureMapOrder
{
    /// <summary>More keys than this and the map is a hash map.</summary>
    public const int ArrayMapLimit = 8;

    /// <summary>
    /// A number that sorts the way the trie iterates: the 5-bit chunks of <paramref name="hasheq"/>, lowest
    /// first, as digits from most significant down. Equal numbers mean equal hashes (keep insertion order).
    /// </summary>
    public static long TrieRank(int hasheq)
    {
        var hash = (uint)hasheq;
        long rank = 0;
        for (var shift = 0; shift < 35; shift += 5)
        {
            rank = (rank << 5) | ((hash >> shift) & 0x1f);
        }

        return rank;
    }

    /// <summary>Clojure's <c>hasheq</c> of a String key (Util.hasheq: Murmur3.hashInt of Java's String.hashCode).</summary>
    public static int StringHasheq(string key) => Murmur3HashInt(JavaHashCode(key));

    /// <summary>
    /// Clojure's <c>hasheq</c> of <c>(keyword key)</c>: Keyword.intern splits the text at its first '/' into
    /// namespace and name (Symbol.intern; "/" alone is a name), Symbol.hasheq combines
    /// Murmur3.hashUnencodedChars(name) with the namespace's String.hashCode, and Keyword adds 0x9e3779b9.
    /// </summary>
    public static int KeywordHasheq(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 || key == "/" ? (null, key) : (key[..slash], key[(slash + 1)..]);
        return unchecked(HashCombine(Murmur3HashUnencodedChars(name), ns is null ? 0 : JavaHashCode(ns)) + (int)0x9e3779b9);
    }

    /// <summary>java.lang.String.hashCode: s[0]·31^(n−1) + … + s[n−1] over UTF-16 units, wrapping.</summary>
    public static int JavaHashCode(string text)
    {
        var hash = 0;
        foreach (var c in text)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    // Util.hashCombine ("a la boost"); >> on an int is Java's arithmetic shift, as in C#.
    private static int HashCombine(int seed, int hash) =>
        seed ^ unchecked(hash + (int)0x9e3779b9 + (seed << 6) + (seed >> 2));

    // Murmur3.java (seed 0).
    private static int Murmur3HashInt(int input)
    {
        if (input == 0)
        {
            return 0;
        }

        return Fmix(MixH1(0, MixK1(input)), 4);
    }

    private static int Murmur3HashUnencodedChars(string input)
    {
        var h1 = 0;
        for (var i = 1; i < input.Length; i += 2)
        {
            h1 = MixH1(h1, MixK1(input[i - 1] | (input[i] << 16)));
        }

        if ((input.Length & 1) == 1)
        {
            h1 ^= MixK1(input[^1]);
        }

        return Fmix(h1, 2 * input.Length);
    }

    private static int MixK1(int k1)
    {
        unchecked
        {
            k1 *= (int)0xcc9e2d51;
            k1 = (int)uint.RotateLeft((uint)k1, 15);
            return k1 * 0x1b873593;
        }
    }

    private static int MixH1(int h1, int k1)
    {
        unchecked
        {
            h1 ^= k1;
            h1 = (int)uint.RotateLeft((uint)h1, 13);
            return (h1 * 5) + (int)0xe6546b64;
        }
    }

    private static int Fmix(int h1, int length)
    {
        unchecked
        {
            var h = (uint)(h1 ^ length);
            h ^= h >> 16;
            h *= 0x85ebca6b;
            h ^= h >> 13;
            h *= 0xc2b2ae35;
            h ^= h >> 16;
            return (int)h;
        }
    }
}
