using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// One operation as the search sees it. Its index in <see cref="PreparedHistory.Ops"/> is also its bit
/// in the set of linearized operations.
/// </summary>
/// <param name="Source">The recorded operation.</param>
/// <param name="Required">True for Ok operations (must be linearized); false for Info ones (optional).</param>
/// <param name="InfoClass">Info operations only: operations with equal kind, from and value share a class.</param>
/// <param name="InfoRank">Info operations only: position within the class, in invocation order.</param>
internal sealed record SearchOp(Operation Source, bool Required, int InfoClass, int InfoRank)
{
    /// <summary>Cached: the search asks this for every pending operation of every state it visits.</summary>
    public bool PreservesState { get; } = RegisterModel.PreservesState(Source);
}
