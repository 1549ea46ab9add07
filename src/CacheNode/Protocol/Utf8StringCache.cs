using System.Text;

namespace CacheNode.Protocol;

/// <summary>
/// Turns short UTF-8 names (node ids, client ids, message types) into strings without allocating a new
/// string for every message: the same few names arrive on almost every line. Direct-mapped by a hash of
/// the bytes, so a hit costs one hash and one byte comparison, and a client that invents a new id per
/// message only ever replaces entries: the cache cannot grow. Used by the read loop only.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxLength = 32;
    private const int Slots = 1024;

    private readonly Entry[] _entries = new Entry[Slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var entry = ref _entries[hash.ToHashCode() & (Slots - 1)];
        if (entry.Utf8 is { } cached && utf8.SequenceEqual(cached))
        {
            return entry.Text!;
        }

        var text = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), text);
        return text;
    }

    private readonly record struct Entry(byte[]? Utf8, string? Text);
}
