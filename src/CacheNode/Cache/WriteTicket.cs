using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.Cache;

/// <summary>A write in progress on a key: the key's epoch just after it began, and whether another write was already in flight then.</summary>
internal readonly record struct WriteTicket(RawJson Key, long Epoch, Timestamp StartedAt, bool Contended);
