using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheNode.Maelstrom.Net;

/// <summary>
/// Time each client request spent inside its node: from the moment the network delivered it to the
/// moment the node wrote its reply. Unlike the client's latency it leaves out both network hops, so a
/// cache hit shows up as what it costs the node, not as a round trip.
/// </summary>
internal sealed class NodeResidence
{
    private readonly ConcurrentDictionary<(string Client, long MsgId), (string Type, long DeliveredAt)> _open = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _byType = new(StringComparer.Ordinal);

    public void Delivered(string client, long msgId, string type, long ticks) => _open[(client, msgId)] = (type, ticks);

    public void Replied(string client, long inReplyTo, long ticks)
    {
        if (_open.TryRemove((client, inReplyTo), out var request))
        {
            var ms = (ticks - request.DeliveredAt) * 1000.0 / Stopwatch.Frequency;
            _byType.GetOrAdd(request.Type, _ => []).Add(ms);
        }
    }

    /// <summary>Milliseconds per request type, sorted.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> ByType() =>
        _byType.ToDictionary(p => p.Key, p => (IReadOnlyList<double>)[.. p.Value.Order()], StringComparer.Ordinal);
}
