using System.Text;

namespace CacheNode.Protocol;

/// <summary>
/// Turns short UTF-8 names (node ids, client ids, message types) into strings without allocating a new
/// string for every message: the same few names arrive on almost every line. Bounded, so a client that
/// invents a new id per message cannot grow it without limit. Used by the read loop only.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxLength = 32;
    private const int MaxEntries = 1024;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8StringCache()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var created = text.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
