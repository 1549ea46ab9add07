namespace CacheNode.Database;

/// <summary>Outcome of a compare-and-set that reached the database.</summary>
internal enum CasResult
{
    Ok,

    /// <summary>The key does not exist and <c>create_if_not_exists</c> was not set (error 20).</summary>
    KeyMissing,

    /// <summary>The current value differs from <c>from</c> (error 22).</summary>
    Mismatch,
}
