namespace CacheNode.Cache;

/// <summary>Whom a cache lookup serves: it decides which counters the lookup moves.</summary>
internal enum ReadOrigin
{
    /// <summary>A read by this node's own client: counted as a hit or a miss.</summary>
    Client,

    /// <summary>A <c>fill</c> this node answers as a key's home: counted as a fill served, so the hit ratio stays the clients'.</summary>
    PeerFill,
}
