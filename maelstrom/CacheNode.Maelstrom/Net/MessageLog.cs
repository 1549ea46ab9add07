using System.Globalization;
using System.Threading.Channels;

namespace CacheNode.Maelstrom.Net;

/// <summary>Writes every routed message to <c>messages.jsonl</c> in the background, with its time and fate.</summary>
internal sealed class MessageLog : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StreamWriter _writer;
    private readonly Task _pump;

    public MessageLog(string path)
    {
        _writer = new StreamWriter(path) { AutoFlush = false };
        _pump = PumpAsync();
    }

    public void Record(double timeMs, string fate, string line) =>
        _lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{{\"time_ms\":{timeMs:0.###},\"fate\":\"{fate}\",\"message\":{line}}}"));

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump;
        await _writer.DisposeAsync();
    }

    private async Task PumpAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync())
        {
            await _writer.WriteLineAsync(line);
        }
    }
}
