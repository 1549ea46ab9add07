using System.Text;

namespace CacheNode.Bench.Running;

/// <summary>
/// Counts the lines of a child's stdout as chunks arrive and checks each one is a non-error reply. It works on
/// bytes (a vectorized search for '\n' and two markers per line), never strings: the node under test sends
/// hundreds of thousands of lines a second, and a slow reader would measure itself.
/// </summary>
internal sealed class ReplyScanner
{
    private const int SampleChars = 300;

    // Both CacheNode and the Maelstrom demo write compact JSON, so these exact byte sequences identify a reply and an error.
    private static ReadOnlySpan<byte> ReplyMarker => "\"in_reply_to\""u8;
    private static ReadOnlySpan<byte> ErrorMarker => "\"type\":\"error\""u8;

    // A line split across two chunks waits here until its newline arrives.
    private byte[] _partial = new byte[1024];
    private int _partialLength;

    public long Lines { get; private set; }

    /// <summary>Lines without <c>"in_reply_to"</c>: not a reply to anything we sent.</summary>
    public long NonReplies { get; private set; }

    /// <summary>Lines with <c>"type":"error"</c>.</summary>
    public long Errors { get; private set; }

    /// <summary>The first line that was not a clean reply, shortened, for the failure message.</summary>
    public string? FirstBadLine { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (true)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendPartial(chunk);
                return;
            }

            if (_partialLength > 0)
            {
                AppendPartial(chunk[..newline]);
                Inspect(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }
            else
            {
                Inspect(chunk[..newline]);
            }

            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>End of output: a last line without its newline still counts (and is still checked).</summary>
    public void Complete()
    {
        if (_partialLength > 0)
        {
            Inspect(_partial.AsSpan(0, _partialLength));
            _partialLength = 0;
        }
    }

    private void Inspect(ReadOnlySpan<byte> line)
    {
        Lines++;
        var bad = false;
        if (line.IndexOf(ReplyMarker) < 0)
        {
            NonReplies++;
            bad = true;
        }

        if (line.IndexOf(ErrorMarker) >= 0)
        {
            Errors++;
            bad = true;
        }

        if (bad && FirstBadLine is null)
        {
            var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, SampleChars)]);
            FirstBadLine = line.Length > SampleChars ? text + "…" : text;
        }
    }

    private void AppendPartial(ReadOnlySpan<byte> bytes)
    {
        if (_partialLength + bytes.Length > _partial.Length)
        {
            Array.Resize(ref _partial, Math.Max(_partial.Length * 2, _partialLength + bytes.Length));
        }

        bytes.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += bytes.Length;
    }
}
