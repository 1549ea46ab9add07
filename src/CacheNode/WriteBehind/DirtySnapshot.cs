using CacheNode.Protocol;
using CacheNode.Threading;

namespace CacheNode.WriteBehind;

/// <summary>A dirty value taken for flushing, with the version it had when taken.</summary>
/// <param name="DirtySince">When the oldest write this flush covers was staged (a timestamp): the flush lag counts from it.</param>
/// <param name="Generation">The entry it was taken from (<see cref="DirtyEntry.Generation"/>).</param>
internal readonly record struct DirtySnapshot(RawJson Key, RawJson Value, long Version, Timestamp DirtySince = default, long Generation = 0);
