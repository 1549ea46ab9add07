using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace CacheNode.Maelstrom.Net;

/// <summary>
/// Routes message lines between endpoints by their <c>dest</c>, each after a delay drawn from the
/// latency model, and drops what a partition cuts (checked at delivery, so messages already in flight
/// when a partition starts are lost too, as on a real network).
/// </summary>
internal sealed class Network : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly LatencyModel _latency;
    private readonly MessageLog _log;
    private readonly Stopwatch _clock;
    private readonly Lock _gate = new();
    private readonly PriorityQueue<Delivery, (long Due, long Sequence)> _queue = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _sequence;
    private Func<string, string, bool>? _cut;

    public Network(LatencyModel latency, MessageLog log, Stopwatch clock)
    {
        _latency = latency;
        _log = log;
        _clock = clock;
        _loop = Task.Run(DeliverLoopAsync);
    }

    public MessageCounts Counts { get; } = new();

    /// <summary>How long each client request spent inside the node, from delivery to the node's reply.</summary>
    public NodeResidence Residence { get; } = new();

    /// <summary>Lines that were not messages or had no known destination (reported as warnings).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Messages their receiver could not make sense of (a field of the wrong type): they fail the run.</summary>
    public ConcurrentQueue<string> Rejected { get; } = new();

    public void Register(IEndpoint endpoint) => _endpoints[endpoint.Id] = endpoint;

    /// <summary>Cuts traffic between every pair for which <paramref name="cut"/> is true (both directions are asked separately).</summary>
    public void Partition(Func<string, string, bool> cut) => Volatile.Write(ref _cut, cut);

    public void Heal() => Volatile.Write(ref _cut, null);

    public bool IsCut(string src, string dest) => Volatile.Read(ref _cut) is { } cut && cut(src, dest);

    /// <summary>Accepts a line an endpoint wrote; returns false (and records a problem) if it is not a routable message.</summary>
    public bool Send(string line)
    {
        if (!TryRoute(line, out var fields))
        {
            Problems.Enqueue($"not a Maelstrom message: {LineText.Truncate(line)}");
            return false;
        }

        Route(fields, line);
        return true;
    }

    /// <summary>Routes a line whose envelope the caller already parsed.</summary>
    public void Route(RouteFields fields, string line)
    {
        var now = _clock.ElapsedTicks;
        if (Endpoints.KindOf(fields.Src) == EndpointKind.Node)
        {
            switch (Endpoints.KindOf(fields.Dest))
            {
                case EndpointKind.Client when fields.InReplyTo is { } replyTo:
                    Residence.Replied(fields.Dest, replyTo, now);
                    break;
                case EndpointKind.Node:
                    Counts.CountBetweenNodes(fields.Type);
                    break;
            }
        }

        var due = now + (long)(_latency.Next().TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            _queue.Enqueue(new Delivery(fields, line), (due, _sequence++));
        }

        _wake.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    internal static bool TryRoute(string line, out RouteFields fields)
    {
        fields = new RouteFields(string.Empty, string.Empty, string.Empty, null, null);
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("src", out var s) && s.ValueKind == JsonValueKind.String
                && root.TryGetProperty("dest", out var d) && d.ValueKind == JsonValueKind.String
                && root.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                fields = new RouteFields(s.GetString()!, d.GetString()!, type.GetString()!, Integer(body, "msg_id"), Integer(body, "in_reply_to"));
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: falls through to false.
        }

        return false;
    }

    private static long? Integer(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private async Task DeliverLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Delivery? next = null;
            var wait = Timeout.InfiniteTimeSpan;
            lock (_gate)
            {
                if (_queue.TryPeek(out var head, out var priority))
                {
                    var remaining = priority.Due - _clock.ElapsedTicks;
                    if (remaining <= 0)
                    {
                        next = _queue.Dequeue();
                    }
                    else
                    {
                        wait = TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency);
                    }
                }
            }

            if (next is null)
            {
                await _wake.WaitAsync(wait, token);
                continue;
            }

            Deliver(next);
        }
    }

    private void Deliver(Delivery delivery)
    {
        var now = _clock.Elapsed.TotalMilliseconds;
        var fields = delivery.Fields;
        var dropped = IsCut(delivery.Src, delivery.Dest);
        Counts.Count(delivery.Src, delivery.Dest, dropped);
        if (dropped)
        {
            _log.Record(now, "dropped", delivery.Line);
            return;
        }

        if (!_endpoints.TryGetValue(delivery.Dest, out var endpoint))
        {
            _log.Record(now, "no-such-node", delivery.Line);
            Problems.Enqueue($"message to unknown node {delivery.Dest}: {LineText.Truncate(delivery.Line)}");
            return;
        }

        _log.Record(now, "delivered", delivery.Line);
        if (fields.MsgId is { } msgId && Endpoints.KindOf(delivery.Src) == EndpointKind.Client && Endpoints.KindOf(delivery.Dest) == EndpointKind.Node)
        {
            Residence.Delivered(delivery.Src, msgId, fields.Type, _clock.ElapsedTicks);
        }

        try
        {
            endpoint.Deliver(delivery.Line);
        }
        catch (Exception ex)
        {
            // One bad message (say, an in_reply_to that is a string) must not stop all delivery.
            Rejected.Enqueue($"{delivery.Src} sent {delivery.Dest} a message it could not process ({ex.GetType().Name}: {ex.Message}): {LineText.Truncate(delivery.Line)}");
        }
    }

    private sealed record Delivery(RouteFields Fields, string Line)
    {
        public string Src => Fields.Src;

        public string Dest => Fields.Dest;
    }
}
