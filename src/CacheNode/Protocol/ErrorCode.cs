namespace CacheNode.Protocol;

/// <summary>Maelstrom's error codes (doc/protocol.md), the subset CacheNode returns or understands.</summary>
internal enum ErrorCode
{
    /// <summary>A round trip timed out; the operation may have happened (indefinite).</summary>
    Timeout = 0,
    NodeNotFound = 1,
    NotSupported = 10,
    TemporarilyUnavailable = 11,
    MalformedRequest = 12,
    /// <summary>An unexpected internal failure; indefinite.</summary>
    Crash = 13,
    Abort = 14,
    KeyDoesNotExist = 20,
    KeyAlreadyExists = 21,
    PreconditionFailed = 22,
    TxnConflict = 30,

    /// <summary>
    /// Between nodes only (write-behind replication): the backup refuses an owner's copies until the
    /// owner has recovered what it holds. A custom code (Maelstrom reserves 1000 and up for those).
    /// </summary>
    RecoverFirst = 1100,

    /// <summary>
    /// Between nodes only (write-behind replication): the answer to <c>recover</c> from a node that has not
    /// been initialized. It has just started, so it holds nothing for anyone. A client's request before
    /// <c>init</c> still gets <see cref="TemporarilyUnavailable"/>.
    /// </summary>
    PeerNotInitialized = 1101,
}
