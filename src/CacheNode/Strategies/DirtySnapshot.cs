using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>A dirty value taken for flushing, with the version it had when taken.</summary>
internal readonly record struct DirtySnapshot(RawJson Key, RawJson Value, long Version);
