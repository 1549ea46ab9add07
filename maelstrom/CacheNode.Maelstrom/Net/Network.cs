using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheNode.Maelstrom.Net;

/// <summary>
/// Maelstrom's simulated network (net.clj). Every endpoint has a mailbox ordered by delivery deadline.
/// A message that involves a client gets no latency ("adding latency to them tends to *hide*
/// consistency anomalies"); others get one drawn from the latency model. As in Maelstrom's
/// <c>recv!</c>, the receiver takes the earliest message, drops it if the current partition makes the
/// receiver refuse its sender, and otherwise waits out its deadline and delivers it.
/// </summary>
internal sealed class Network : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Mailbox> _mailboxes = new(StringComparer.Ordinal);
    private readonly LatencyModel _latency;
    private readonly MessageLog _log;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _verbatim;
    private long _sequence;

    // net.clj's next-message-id starts at -1 and is incremented before use: the first message is 0.
    private long _nextMessageId = -1;
    private Func<string, string, bool>? _drops;

    /// <param name="verbatim">
    /// Runner-only: deliver each line as its sender wrote it instead of in Maelstrom's spelling (see
    /// <see cref="MaelstromJsonSpelling"/>); Maelstrom itself always respells.
    /// </param>
    public Network(LatencyModel latency, MessageLog log, Stopwatch clock, bool verbatim = false)
    {
        _latency = latency;
        _log = log;
        _clock = clock;
        _verbatim = verbatim;
    }

    public MessageCounts Counts { get; } = new();

    /// <summary>How long each client request spent inside the node, from delivery to the node's reply.</summary>
    public NodeResidence Residence { get; } = new();

    /// <summary>Lines that were not messages or had no known destination (reported as warnings).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Messages their receiver could not make sense of (a field of the wrong type): reported as warnings.</summary>
    public ConcurrentQueue<string> Rejected { get; } = new();

    /// <summary>Adds an endpoint (Maelstrom's <c>add-node!</c>); messages to it are delivered from now on.</summary>
    public void Register(IEndpoint endpoint)
    {
        var mailbox = new Mailbox(endpoint, this);
        if (_mailboxes.TryGetValue(endpoint.Id, out var old))
        {
            old.Close();
        }

        _mailboxes[endpoint.Id] = mailbox;
        mailbox.Start(_stop.Token);
    }

    /// <summary>Removes an endpoint (Maelstrom's <c>remove-node!</c>, e.g. a closed client); what is queued for it is lost.</summary>
    public void Unregister(string id)
    {
        if (_mailboxes.TryRemove(id, out var mailbox))
        {
            mailbox.Close();
        }
    }

    /// <summary>True if <paramref name="id"/> is an endpoint of the network now.</summary>
    public bool Knows(string id) => _mailboxes.ContainsKey(id);

    /// <summary>
    /// Makes each receiver refuse the senders <paramref name="drops"/> names: <c>drops(src, dest)</c> is true when
    /// <c>dest</c> drops messages from <c>src</c> (a Jepsen grudge; one-directional).
    /// </summary>
    public void Partition(Func<string, string, bool> drops) => Volatile.Write(ref _drops, drops);

    public void Heal() => Volatile.Write(ref _drops, null);

    public bool IsCut(string src, string dest) => Volatile.Read(ref _drops) is { } drops && drops(src, dest);

    /// <summary>Accepts a line an endpoint wrote; returns false (and records a problem) if it is not a routable message.</summary>
    public bool Send(string line)
    {
        if (!MaelstromJsonSpelling.TryParse(line, out var message, out var error))
        {
            Problems.Enqueue($"not a Maelstrom message ({error}): {LineText.Truncate(line)}");
            return false;
        }

        return Route(message, line);
    }

    /// <summary>
    /// Routes a message the caller already parsed from <paramref name="line"/>; false (and a problem) if its
    /// destination is unknown. The receiver gets Maelstrom's spelling of it (<see cref="MaelstromMessage.Line"/>,
    /// with the next network message id, as net.clj <c>send!</c> numbers every message it is given), or
    /// <paramref name="line"/> itself with the runner-only verbatim option.
    /// </summary>
    public bool Route(MaelstromMessage message, string line)
    {
        var fields = message.Fields;
        var id = Interlocked.Increment(ref _nextMessageId);
        var delivered = _verbatim ? line : message.Line(id);
        if (!_mailboxes.TryGetValue(fields.Dest, out var mailbox))
        {
            _log.Record(_clock.Elapsed.TotalMilliseconds, "no-such-node", delivered);
            Problems.Enqueue($"message to unknown node {fields.Dest}: {LineText.Truncate(line)}");
            return false;
        }

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

        var latency = InvolvesClient(fields) ? TimeSpan.Zero : _latency.Next();
        var due = now + (long)(latency.TotalSeconds * Stopwatch.Frequency);
        mailbox.Enqueue(new Delivery(fields, delivered), due, Interlocked.Increment(ref _sequence));
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var mailbox in _mailboxes.Values)
        {
            await mailbox.StopAsync();
        }

        _stop.Dispose();
    }

    // Maelstrom's util/client?: any id whose first character is 'c'.
    private static bool InvolvesClient(RouteFields fields) =>
        fields.Src.StartsWith('c') || fields.Dest.StartsWith('c');

    private void Deliver(IEndpoint endpoint, Delivery delivery)
    {
        var fields = delivery.Fields;
        Counts.Count(fields.Src, fields.Dest, dropped: false);
        _log.Record(_clock.Elapsed.TotalMilliseconds, "delivered", delivery.Line);
        if (fields.MsgId is { } msgId && Endpoints.KindOf(fields.Src) == EndpointKind.Client && Endpoints.KindOf(fields.Dest) == EndpointKind.Node)
        {
            Residence.Delivered(fields.Src, msgId, fields.Type, _clock.ElapsedTicks);
        }

        try
        {
            endpoint.Deliver(delivery.Line);
        }
        catch (Exception ex)
        {
            // One bad message (say, an in_reply_to that is a string) must not stop all delivery.
            Rejected.Enqueue($"{fields.Src} sent {fields.Dest} a message it could not process ({ex.GetType().Name}: {ex.Message}): {LineText.Truncate(delivery.Line)}");
        }
    }

    private void Drop(Delivery delivery)
    {
        Counts.Count(delivery.Fields.Src, delivery.Fields.Dest, dropped: true);
        _log.Record(_clock.Elapsed.TotalMilliseconds, "dropped", delivery.Line);
    }

    private sealed record Delivery(RouteFields Fields, string Line);

    /// <summary>One receiver's queue and the loop that empties it, as Maelstrom's per-node <c>recv!</c> does.</summary>
    private sealed class Mailbox(IEndpoint endpoint, Network network)
    {
        private readonly Lock _gate = new();
        private readonly PriorityQueue<Delivery, (long Due, long Sequence)> _queue = new();
        private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
        private readonly CancellationTokenSource _closed = new();
        private Task _loop = Task.CompletedTask;

        public void Start(CancellationToken stop)
        {
            var token = CancellationTokenSource.CreateLinkedTokenSource(stop, _closed.Token).Token;
            _loop = Task.Run(() => LoopAsync(token), CancellationToken.None);
        }

        public void Enqueue(Delivery delivery, long due, long sequence)
        {
            lock (_gate)
            {
                _queue.Enqueue(delivery, (due, sequence));
            }

            _wake.Release();
        }

        public void Close() => _closed.Cancel();

        public async Task StopAsync()
        {
            await _closed.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping is the point.
            }
        }

        private async Task LoopAsync(CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                await _wake.WaitAsync(token);
                Delivery delivery;
                long due;
                lock (_gate)
                {
                    if (!_queue.TryDequeue(out delivery!, out var priority))
                    {
                        continue;
                    }

                    due = priority.Due;
                }

                // The partition is consulted when the receiver takes the message, before it waits out the
                // message's latency: Maelstrom's recv! checks, then sleeps until the deadline.
                if (network.IsCut(delivery.Fields.Src, endpoint.Id))
                {
                    network.Drop(delivery);
                    continue;
                }

                var remaining = due - network._clock.ElapsedTicks;
                if (remaining > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), token);
                }

                network.Deliver(endpoint, delivery);
            }
        }
    }
}
