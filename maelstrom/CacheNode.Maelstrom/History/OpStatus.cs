namespace CacheNode.Maelstrom.History;

/// <summary>How an operation ended, in Jepsen's terms.</summary>
internal enum OpStatus
{
    /// <summary>Acknowledged: it happened, exactly once, between invocation and completion.</summary>
    Ok,

    /// <summary>A definite error: it did not happen and never will.</summary>
    Fail,

    /// <summary>Indeterminate (timeout, indefinite error): it may or may not have happened, at any time after invocation.</summary>
    Info,
}
