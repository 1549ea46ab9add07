using System.Globalization;
using System.Text.Unicode;

namespace CacheNode.Bench.Workloads;

/// <summary>
/// Writes Maelstrom request lines from client <c>c1</c> to node <c>n1</c>, formatting straight to UTF-8 with
/// the invariant culture, so generating a million lines costs neither strings nor locale surprises.
/// </summary>
internal sealed class RequestFileWriter : IDisposable
{
    /// <summary>The <c>init</c> every file opens with; it takes <c>msg_id</c> 1, requests count up from 2.</summary>
    public static readonly byte[] InitLine =
        [.. """{"src":"c1","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}"""u8, (byte)'\n'];

    private readonly FileStream _file;
    private readonly byte[] _line = new byte[512];
    private long _nextMsgId = 2;

    public RequestFileWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        _file.Write(InitLine);
    }

    public void Read(int key) =>
        Emit(Utf8.TryWrite(_line, CultureInfo.InvariantCulture,
            $$$"""{"src":"c1","dest":"n1","body":{"type":"read","msg_id":{{{_nextMsgId}}},"key":{{{key}}}}}""", out var written), written);

    public void Write(int key, int value) =>
        Emit(Utf8.TryWrite(_line, CultureInfo.InvariantCulture,
            $$$"""{"src":"c1","dest":"n1","body":{"type":"write","msg_id":{{{_nextMsgId}}},"key":{{{key}}},"value":{{{value}}}}}""", out var written), written);

    /// <param name="payload">Plain ASCII letters only: it is written without JSON escaping.</param>
    public void Echo(string payload) =>
        Emit(Utf8.TryWrite(_line, CultureInfo.InvariantCulture,
            $$$"""{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":{{{_nextMsgId}}},"echo":"{{{payload}}}"}}""", out var written), written);

    public void Dispose() => _file.Dispose();

    private void Emit(bool formatted, int length)
    {
        if (!formatted)
        {
            throw new InvalidOperationException($"a request line does not fit in {_line.Length} bytes");
        }

        _line[length] = (byte)'\n';
        _file.Write(_line, 0, length + 1);
        _nextMsgId++;
    }
}
