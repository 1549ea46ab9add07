using System.Text;

namespace CacheNode.Bench.Running;

/// <summary>
/// Drains a child's stderr as fast as it comes (the Maelstrom demo node logs every message there) and keeps
/// only its last few kilobytes, to show when a run fails.
/// </summary>
internal sealed class StderrTail
{
    private const int KeepBytes = 4096;

    private readonly byte[] _tail = new byte[KeepBytes];
    private int _length;

    private StderrTail(Stream stderr) => Completion = BlockingWork.Run(() => Drain(stderr));

    public Task Completion { get; }

    public static StderrTail Start(Stream stderr) => new(stderr);

    /// <summary>The last lines the child logged; call after <see cref="Completion"/>.</summary>
    public string Text() => Encoding.UTF8.GetString(_tail, 0, _length).Trim();

    private void Drain(Stream stderr)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stderr.Read(buffer)) > 0)
        {
            Keep(buffer.AsSpan(0, read));
        }
    }

    private void Keep(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= KeepBytes)
        {
            chunk[^KeepBytes..].CopyTo(_tail);
            _length = KeepBytes;
            return;
        }

        var keepOld = Math.Min(_length, KeepBytes - chunk.Length);
        _tail.AsSpan(_length - keepOld, keepOld).CopyTo(_tail);
        chunk.CopyTo(_tail.AsSpan(keepOld));
        _length = keepOld + chunk.Length;
    }
}
