namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The set of linearized operations as ulong bitsets, one for required and one for optional operations,
/// with a Zobrist hash of the required part updated in O(1) per change so memo lookups do not rehash it.
/// </summary>
internal sealed class LinearizedSet
{
    private readonly ulong[] _required;
    private readonly ulong[] _optional;
    private readonly int _requiredCount;
    private ulong _requiredHash;

    public LinearizedSet(int requiredCount, int optionalCount)
    {
        _requiredCount = requiredCount;
        _required = new ulong[(requiredCount + 63) / 64];
        _optional = new ulong[(optionalCount + 63) / 64];
    }

    /// <summary>Adds or removes operation <paramref name="op"/> (an index into <see cref="PreparedHistory.Ops"/>).</summary>
    public void Toggle(int op)
    {
        if (op < _requiredCount)
        {
            _required[op >> 6] ^= 1UL << (op & 63);
            _requiredHash ^= Mix((ulong)op + 1);
        }
        else
        {
            var bit = op - _requiredCount;
            _optional[bit >> 6] ^= 1UL << (bit & 63);
        }
    }

    public MemoKey RequiredKeyWith(int? state, bool mustConsume)
    {
        var low = 0;
        while (low < _required.Length && _required[low] == ulong.MaxValue)
        {
            low++;
        }

        var high = _required.Length - 1;
        while (high >= low && _required[high] == 0)
        {
            high--;
        }

        var first = high >= low ? _required[low] : 0;
        ulong[] rest = high > low ? _required.AsSpan(low + 1, high - low).ToArray() : [];
        var stateHash = state is int value ? Mix(0x9E3779B97F4A7C15UL ^ (ulong)(uint)value) : 0x5851F42D4C957F2DUL;
        return new MemoKey(low, state, mustConsume, first, rest, _requiredHash ^ stateHash);
    }

    /// <summary>A copy of the optional-operation bits.</summary>
    public ulong[] OptionalSnapshot() => _optional.Length == 0 ? [] : (ulong[])_optional.Clone();

    /// <summary>True if every optional operation in <paramref name="optional"/> is also in this set.</summary>
    public bool OptionalIncludes(ulong[] optional)
    {
        for (var i = 0; i < optional.Length; i++)
        {
            if ((optional[i] & ~_optional[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SplitMix64's finaliser: a cheap bijection that spreads every input bit over the output.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
