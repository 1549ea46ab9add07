using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CacheNode.Configuration;
using CacheNode.Diagnostics;
using CacheNode.Hosting;

namespace CacheNode.UnitTests.TestDoubles;

/// <summary>A node on in-memory pipes, as node n1; what it sends is sorted by destination.</summary>
internal sealed class InProcessNode : IAsyncDisposable
{
    // Only a guard against a hang: every awaited message comes without any timer running out.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<JsonNode> _sent = Channel.CreateUnbounded<JsonNode>();
    private readonly Dictionary<string, Queue<JsonNode>> _unclaimed = [];
    private Task<int>? _run;
    private Task? _reading;

    public static InProcessNode Start(NodeOptions options)
    {
        var node = new InProcessNode();
        var cacheNode = new Node(options, node._input.Reader.AsStream(), node._output.Writer.AsStream(), Log.Silent, TimeProvider.System);
        node._run = cacheNode.RunAsync(node._stop.Token);
        node._reading = node.ReadOutputAsync();
        return node;
    }

    public async Task SendAsync(string src, string body) =>
        await _input.Writer.WriteAsync(Encoding.UTF8.GetBytes($$"""{"src":"{{src}}","dest":"n1","body":{{body}}}""" + "\n"));

    /// <summary>The next message the node sends to <paramref name="dest"/>.</summary>
    public async Task<JsonNode> NextToAsync(string dest)
    {
        if (_unclaimed.TryGetValue(dest, out var waiting) && waiting.TryDequeue(out var early))
        {
            return early;
        }

        while (true)
        {
            var message = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            var to = message["dest"]!.GetValue<string>();
            if (to == dest)
            {
                return message;
            }

            Park(to, message);
        }
    }

    /// <summary>
    /// The next message to <paramref name="dest"/> that <paramref name="wanted"/> picks; the ones before it
    /// are dropped unanswered. Fails after <see cref="Patience"/> in all, however many others go by (a node's
    /// heartbeats would otherwise keep a wait for a message that never comes alive for ever).
    /// </summary>
    public async Task<JsonNode> NextMatchingAsync(string dest, Func<JsonNode, bool> wanted)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var message = await NextToAsync(dest);
            if (wanted(message["body"]!))
            {
                return message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no message to {dest} of the kind wanted came in {Patience.TotalSeconds} s; the last was {message.ToJsonString()}");
            }
        }
    }

    /// <summary>Every message to <paramref name="dest"/> the node has sent so far and no wait has taken yet.</summary>
    public IReadOnlyList<JsonNode> SentSoFar(string dest)
    {
        while (_sent.Reader.TryRead(out var message))
        {
            Park(message["dest"]!.GetValue<string>(), message);
        }

        return _unclaimed.Remove(dest, out var sent) ? [.. sent] : [];
    }

    // A message read while waiting for another destination's: kept for whoever asks for its own.
    private void Park(string to, JsonNode message)
    {
        if (!_unclaimed.TryGetValue(to, out var queue))
        {
            _unclaimed[to] = queue = new Queue<JsonNode>();
        }

        queue.Enqueue(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _input.Writer.CompleteAsync();
        await _run!.WaitAsync(Patience);
        await _output.Writer.CompleteAsync();
        await _reading!.WaitAsync(Patience);
        _stop.Dispose();
    }

    private async Task ReadOutputAsync()
    {
        using var lines = new StreamReader(_output.Reader.AsStream());
        while (await lines.ReadLineAsync() is { } line)
        {
            await _sent.Writer.WriteAsync(JsonNode.Parse(line)!);
        }
    }
}
