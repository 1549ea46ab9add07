namespace CacheNode.Bench.Running;

/// <summary>What a spawned command stands for in the comparison.</summary>
internal enum CommandRole
{
    /// <summary><c>cat FILE</c>: the fastest the pipe and the reader can go, the denominator of every ratio.</summary>
    PipeCeiling,

    /// <summary>The CacheNode under test.</summary>
    CacheNode,

    /// <summary>Another Maelstrom node (<c>--peer</c>) to compare against on the echo workload.</summary>
    Peer,
}
