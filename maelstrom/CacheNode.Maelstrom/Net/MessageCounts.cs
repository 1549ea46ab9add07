using System.Collections.Concurrent;

namespace CacheNode.Maelstrom.Net;

/// <summary>Messages delivered, split the way the report needs them.</summary>
internal sealed class MessageCounts
{
    private long _clientNode;
    private long _nodeNode;
    private long _nodeService;
    private long _dropped;
    private long _nodeToService;
    private readonly ConcurrentDictionary<string, long> _betweenNodesByType = new(StringComparer.Ordinal);

    public long ClientNode => Interlocked.Read(ref _clientNode);
    public long NodeNode => Interlocked.Read(ref _nodeNode);
    public long NodeService => Interlocked.Read(ref _nodeService);
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests from nodes to services: the database round trips.</summary>
    public long NodeToService => Interlocked.Read(ref _nodeToService);

    /// <summary>Node-to-node messages sent, by body type (dropped ones included): what the nodes' protocol costs.</summary>
    public IReadOnlyDictionary<string, long> BetweenNodesByType => _betweenNodesByType;

    public void CountBetweenNodes(string type) => _betweenNodesByType.AddOrUpdate(type, 1, (_, n) => n + 1);

    public void Count(string src, string dest, bool dropped)
    {
        if (dropped)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var (a, b) = (Endpoints.KindOf(src), Endpoints.KindOf(dest));
        if (a == EndpointKind.Client || b == EndpointKind.Client)
        {
            Interlocked.Increment(ref _clientNode);
        }
        else if (a == EndpointKind.Node && b == EndpointKind.Node)
        {
            Interlocked.Increment(ref _nodeNode);
        }
        else
        {
            Interlocked.Increment(ref _nodeService);
            if (a == EndpointKind.Node)
            {
                Interlocked.Increment(ref _nodeToService);
            }
        }
    }
}
