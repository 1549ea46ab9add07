using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CacheNode.Configuration;
using CacheNode.Diagnostics;
using CacheNode.Hosting;
using CacheNode.IntegrationTests.Services;

namespace CacheNode.IntegrationTests.Harness;

/// <summary>
/// One real <see cref="Node"/> over in-memory pipes, a <see cref="FakeLinKvService"/> answering its
/// database requests, and a client API that matches replies to requests by <c>in_reply_to</c>.
/// </summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly Channel<string> _toNode = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Task<int> _run;
    private readonly Task _inputPump;
    private readonly Task _outputPump;
    private long _nextMsgId = 1;

    public InProcessCluster(NodeOptions options)
    {
        var node = new Node(options, _input.Reader.AsStream(), _output.Writer.AsStream(), Log.Silent, TimeProvider.System);
        _run = Task.Run(() => node.RunAsync());
        _inputPump = PumpInputAsync();
        _outputPump = PumpOutputAsync();
    }

    public FakeLinKvService Service { get; } = new();

    public static async Task<InProcessCluster> StartAsync(NodeOptions options)
    {
        var cluster = new InProcessCluster(options);
        var ok = await cluster.RequestAsync("""{"type":"init","node_id":"n1","node_ids":["n1"]}""");
        ok["type"]!.GetValue<string>().Should().Be("init_ok");
        return cluster;
    }

    /// <summary>Sends a client request (a body without msg_id) and returns the reply body.</summary>
    public async Task<JsonObject> RequestAsync(string body, TimeSpan? timeout = null)
    {
        var msgId = Interlocked.Increment(ref _nextMsgId);
        var request = JsonNode.Parse(body)!.AsObject();
        request["msg_id"] = msgId;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[msgId] = reply;
        var line = new JsonObject { ["src"] = "c1", ["dest"] = "n1", ["body"] = request }.ToJsonString();
        await _toNode.Writer.WriteAsync(line);
        return await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        _toNode.Writer.TryComplete();
        await _inputPump;
        (await _run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, "the node exits cleanly at end of input");

        // The node does not own its output stream (Program.cs closes stdout), so the harness ends it.
        await _output.Writer.CompleteAsync();
        await _outputPump.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task PumpInputAsync()
    {
        await foreach (var line in _toNode.Reader.ReadAllAsync())
        {
            await _input.Writer.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        }

        await _input.Writer.CompleteAsync();
    }

    private async Task DeliverLaterAsync(string line, TimeSpan delay)
    {
        await Task.Delay(delay);
        _toNode.Writer.TryWrite(line);
    }

    private async Task PumpOutputAsync()
    {
        using var reader = new StreamReader(_output.Reader.AsStream(), Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            var dest = message["dest"]!.GetValue<string>();
            if (dest == Service.Name)
            {
                if (Service.Handle(line) is { } reply)
                {
                    if (Service.MaxReadReplyDelay > TimeSpan.Zero && reply.Contains("\"read_ok\"", StringComparison.Ordinal))
                    {
                        _ = DeliverLaterAsync(reply, Service.MaxReadReplyDelay * Random.Shared.NextDouble());
                    }
                    else
                    {
                        await _toNode.Writer.WriteAsync(reply);
                    }
                }

                continue;
            }

            var body = message["body"]!.AsObject();
            if (body["in_reply_to"]?.GetValue<long>() is { } replyTo && _pending.TryRemove(replyTo, out var waiter))
            {
                waiter.TrySetResult(body);
            }
        }
    }
}
