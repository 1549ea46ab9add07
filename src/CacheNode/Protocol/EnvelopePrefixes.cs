using System.Buffers;
using System.Text.Json;

namespace CacheNode.Protocol;

/// <summary>
/// The encoded start of a message, <c>{"src":…,"dest":…,"body":</c>, for each pair of names. A node talks
/// to a handful of clients and peers, so the same few prefixes recur on every reply: encoding (and
/// escaping) them once saves that work per message. Bounded, so clients inventing an id per message
/// cannot grow it without limit. Not thread-safe: <see cref="MessageWriter"/> uses it under its lock.
/// </summary>
internal sealed class EnvelopePrefixes(JsonWriterOptions options)
{
    private const int MaxEntries = 1024;

    private readonly Dictionary<(string Src, string Dest), byte[]> _prefixes = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(128);
    // Replies mostly go to the same destination as the previous one (a client's burst): check that first,
    // by reference, since the read loop hands out the same string instances for the same names.
    private (string Src, string Dest, byte[] Prefix) _last = (string.Empty, string.Empty, []);

    public ReadOnlySpan<byte> Get(string src, string dest)
    {
        if (ReferenceEquals(src, _last.Src) && ReferenceEquals(dest, _last.Dest))
        {
            return _last.Prefix;
        }

        if (!_prefixes.TryGetValue((src, dest), out var prefix))
        {
            prefix = Encode(src, dest);
            if (_prefixes.Count < MaxEntries)
            {
                _prefixes.Add((src, dest), prefix);
            }
        }

        _last = (src, dest, prefix);
        return prefix;
    }

    private byte[] Encode(string src, string dest)
    {
        _scratch.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_scratch, options))
        {
            json.WriteStartObject();
            json.WriteString("src"u8, src);
            json.WriteString("dest"u8, dest);
            json.WritePropertyName("body"u8);
        }

        return _scratch.WrittenSpan.ToArray();
    }
}
