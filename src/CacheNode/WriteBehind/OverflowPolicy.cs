namespace CacheNode.WriteBehind;

/// <summary>What write-behind does with a write to a new key when the dirty queue is full.</summary>
internal enum OverflowPolicy
{
    /// <summary>Answer error 11 (definite: nothing was written).</summary>
    Reject,

    /// <summary>Write the value through to the database before acking, as Ignite and Infinispan do.</summary>
    Sync,
}
