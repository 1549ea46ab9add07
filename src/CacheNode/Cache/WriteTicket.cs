using CacheNode.Protocol;

namespace CacheNode.Cache;

/// <summary>A write in progress on a key, and the key's epoch just after the write began.</summary>
internal readonly record struct WriteTicket(RawJson Key, long Epoch, long StartedAt);
