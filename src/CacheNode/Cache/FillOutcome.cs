using CacheNode.Database;

namespace CacheNode.Cache;

/// <summary>
/// What a single-flight fill hands its waiters: the database's answer, and whether it was installed.
/// A fill that lost a race with a write or invalidation is not installed, and waiters that joined late
/// must not use its (possibly stale) value.
/// </summary>
internal readonly record struct FillOutcome(ReadResult Result, bool Published);
