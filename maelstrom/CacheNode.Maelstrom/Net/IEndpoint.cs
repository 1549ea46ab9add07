namespace CacheNode.Maelstrom.Net;

/// <summary>Anything with a node id that messages are delivered to: a node process, a service, a client.</summary>
internal interface IEndpoint
{
    string Id { get; }

    /// <summary>Delivers one message line; must not block (queue it if work is needed).</summary>
    void Deliver(string line);
}
