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
/// One or more real <see cref="Node"/>s in one process, over in-memory pipes, wired to each other and
/// to a <see cref="FakeLinKvService"/> through a router that can cut node-to-node links (a partition,
/// as in Maelstrom: the service stays reachable), hold back or delay service traffic to force races,
/// and kill and restart nodes. Client replies are matched to requests by <c>in_reply_to</c>.
/// </summary>
internal sealed class MultiNodeCluster : IAsyncDisposable
{
    private readonly Dictionary<string, NodePipes> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<string, int> _peerMessages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _isolated = new(StringComparer.Ordinal);
    private readonly List<NodePipes> _killed = [];
    private readonly NodeOptions _options;
    private bool _expectCleanExit;
    private readonly Lock _gate = new();
    private long _nextMsgId = 1;

    private MultiNodeCluster(NodeOptions options, int count)
    {
        _options = options;
        Ids = Enumerable.Range(1, count).Select(i => $"n{i}").ToArray();
        foreach (var id in Ids)
        {
            _nodes[id] = new NodePipes(id, options, this);
        }
    }

    public IReadOnlyList<string> Ids { get; }

    public FakeLinKvService Service { get; } = new();

    /// <summary>Runs before a service reply is delivered to a node: (node, request type) → a task to wait for.</summary>
    public Func<string, string, Task>? BeforeServiceReply { get; set; }

    /// <summary>Runs before the service applies a node's request: (node, request type) → a task to wait for (a write still on its way).</summary>
    public Func<string, string, Task>? BeforeServiceApply { get; set; }

    /// <summary>Runs once the service has applied a node's request: (node, request type).</summary>
    public Action<string, string>? AfterServiceApply { get; set; }

    /// <summary>Called before a message between nodes (from, to, type) is delivered; the message waits for the task.</summary>
    public Func<string, string, string, Task>? BeforePeerDeliver { get; set; }

    /// <param name="expectCleanExit">Whether disposing checks that every node exits 0 at the end of its input.</param>
    public static async Task<MultiNodeCluster> StartAsync(NodeOptions options, int count = 3, bool expectCleanExit = false)
    {
        var cluster = new MultiNodeCluster(options, count) { _expectCleanExit = expectCleanExit };
        var ids = string.Join(',', cluster.Ids.Select(id => $"\"{id}\""));
        foreach (var id in cluster.Ids)
        {
            var ok = await cluster.RequestAsync(id, $$"""{"type":"init","node_id":"{{id}}","node_ids":[{{ids}}]}""");
            ok.ShouldHave("type", "init_ok");
        }

        foreach (var id in cluster.Ids)
        {
            await cluster.WaitUntilRecoveredAsync(id);
        }

        return cluster;
    }

    /// <summary>Waits until <paramref name="node"/> has taken back its write-behind entries from its backups (at once for other strategies).</summary>
    public async Task WaitUntilRecoveredAsync(string node)
    {
        await Eventually.TrueAsync(async () => !(await RequestAsync(node, """{"type":"stats"}"""))["recovering"]!.GetValue<bool>(), $"{node} should finish recovering");
    }

    /// <summary>Sends a client request (a body without msg_id) to <paramref name="node"/> and returns the reply body.</summary>
    public async Task<JsonObject> RequestAsync(string node, string body, TimeSpan? timeout = null)
    {
        var msgId = Interlocked.Increment(ref _nextMsgId);
        var request = JsonNode.Parse(body)!.AsObject();
        request["msg_id"] = msgId;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[msgId] = reply;
        PipesOf(node)!.Deliver(new JsonObject { ["src"] = "c1", ["dest"] = node, ["body"] = request }.ToJsonString());
        return await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async Task<long> StatAsync(string node, string counter) =>
        (await RequestAsync(node, """{"type":"stats"}"""))[counter]!.GetValue<long>();

    /// <summary>
    /// Kills <paramref name="node"/> as a crash would: from now on nothing reaches it and nothing it sends
    /// goes anywhere, and whatever it held in memory is gone with it.
    /// </summary>
    public void Kill(string node)
    {
        lock (_gate)
        {
            _killed.Add(_nodes[node]);
            _nodes[node] = NodePipes.Dead;
        }
    }

    /// <summary>Starts a new run of a killed node and sends it <c>init</c>, as Maelstrom does.</summary>
    public async Task RestartAsync(string node, bool waitForRecovery = true)
    {
        lock (_gate)
        {
            _nodes[node] = new NodePipes(node, _options, this);
        }

        var ids = string.Join(',', Ids.Select(id => $"\"{id}\""));
        var ok = await RequestAsync(node, $$"""{"type":"init","node_id":"{{node}}","node_ids":[{{ids}}]}""");
        ok.ShouldHave("type", "init_ok");
        if (waitForRecovery)
        {
            await WaitUntilRecoveredAsync(node);
        }
    }

    /// <summary>Cuts every link between <paramref name="node"/> and the other nodes (the service stays reachable).</summary>
    public void Isolate(string node)
    {
        lock (_gate)
        {
            _isolated.Add(node);
        }
    }

    public void Heal()
    {
        lock (_gate)
        {
            _isolated.Clear();
        }
    }

    /// <summary>Messages that broke the protocol's rules (a wrong <c>src</c>); every test's dispose checks it is empty.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Node-to-node messages of <paramref name="type"/> delivered so far.</summary>
    public int PeerMessages(string type) => _peerMessages.GetValueOrDefault(type);

    /// <summary>Messages of <paramref name="type"/> delivered from one node to another so far.</summary>
    public int PeerMessages(string type, string from, string to) => _peerMessages.GetValueOrDefault(LinkKey(type, from, to));


    public async ValueTask DisposeAsync()
    {
        foreach (var (id, node) in _nodes.Where(pair => pair.Value != NodePipes.Dead))
        {
            var exitCode = await node.StopAsync();
            if (_expectCleanExit)
            {
                exitCode.Should().Be(0, $"{id} exits cleanly at the end of its input");
            }
        }

        // Killed runs are cut off: they stop in the background without holding up the test.
        foreach (var killed in _killed)
        {
            _ = killed.StopAsync();
        }

        Violations.Should().BeEmpty();
    }

    private NodePipes? PipesOf(string node)
    {
        lock (_gate)
        {
            return _nodes.GetValueOrDefault(node);
        }
    }

    private bool IsCut(string a, string b)
    {
        lock (_gate)
        {
            return _isolated.Contains(a) || _isolated.Contains(b);
        }
    }

    private async Task RouteAsync(NodePipes sender, string from, string line)
    {
        lock (_gate)
        {
            if (_nodes[from] != sender)
            {
                // A killed run: what it sends goes nowhere.
                return;
            }
        }

        var message = JsonNode.Parse(line)!.AsObject();
        if (message["src"]?.GetValue<string>() != from)
        {
            Violations.Enqueue($"{from} sent a message from '{message["src"]}': {line}");
        }

        var dest = message["dest"]!.GetValue<string>();
        var body = message["body"]!.AsObject();
        if (dest == Service.Name)
        {
            var type = body["type"]!.GetValue<string>();
            if (BeforeServiceApply is { } apply)
            {
                await apply(from, type);
            }

            var reply = Service.Handle(line);
            AfterServiceApply?.Invoke(from, type);
            if (reply is not null)
            {
                if (BeforeServiceReply is { } hook)
                {
                    await hook(from, type);
                }

                if (Service.MaxReadReplyDelay > TimeSpan.Zero && type == "read")
                {
                    await Task.Delay(Service.MaxReadReplyDelay * Random.Shared.NextDouble());
                }

                PipesOf(from)?.Deliver(reply);
            }

            return;
        }

        if (PipesOf(dest) is { } peer)
        {
            if (!IsCut(from, dest))
            {
                var type = body["type"]!.GetValue<string>();
                _peerMessages.AddOrUpdate(type, 1, (_, n) => n + 1);
                _peerMessages.AddOrUpdate(LinkKey(type, from, dest), 1, (_, n) => n + 1);
                if (BeforePeerDeliver is { } hook)
                {
                    await hook(from, dest, type);
                }

                peer.Deliver(line);
            }

            return;
        }

        if (body["in_reply_to"]?.GetValue<long>() is { } replyTo && _pending.TryRemove(replyTo, out var waiter))
        {
            waiter.TrySetResult(body);
        }
    }

    private static string LinkKey(string type, string from, string to) => $"{type} {from}->{to}";

    private sealed class NodePipes
    {
        private readonly Pipe _input = new();
        private readonly Pipe _output = new();
        private readonly Channel<string> _toNode = Channel.CreateUnbounded<string>();
        private readonly Task<int> _run;
        private readonly Task _inputPump;
        private readonly Task _outputPump;

        private NodePipes()
        {
            _run = Task.FromResult(0);
            _inputPump = Task.CompletedTask;
            _outputPump = Task.CompletedTask;
        }

        /// <summary>Stands for a killed node: deliveries to it vanish.</summary>
        public static NodePipes Dead { get; } = new();

        public NodePipes(string id, NodeOptions options, MultiNodeCluster cluster)
        {
            var node = new Node(options, _input.Reader.AsStream(), _output.Writer.AsStream(), Log.Silent, TimeProvider.System);
            _run = Task.Run(() => node.RunAsync());
            _inputPump = Task.Run(async () =>
            {
                await foreach (var line in _toNode.Reader.ReadAllAsync())
                {
                    await _input.Writer.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
                }

                await _input.Writer.CompleteAsync();
            });
            _outputPump = Task.Run(async () =>
            {
                using var reader = new StreamReader(_output.Reader.AsStream(), Encoding.UTF8);
                while (await reader.ReadLineAsync() is { } line)
                {
                    // Each message is routed on its own, so a held-back reply holds back nothing else.
                    _ = cluster.RouteAsync(this, id, line);
                }
            });
        }

        public void Deliver(string line) => _toNode.Writer.TryWrite(line);

        /// <returns>The node's exit code.</returns>
        public async Task<int> StopAsync()
        {
            _toNode.Writer.TryComplete();
            await _inputPump;
            var exitCode = await _run.WaitAsync(TimeSpan.FromSeconds(30));

            // The node does not own its output stream (Program.cs closes stdout), so the harness ends it.
            await _output.Writer.CompleteAsync();
            await _outputPump.WaitAsync(TimeSpan.FromSeconds(30));
            return exitCode;
        }
    }
}
