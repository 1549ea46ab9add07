namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The checker's answer. Unknown is separate from Invalid because running out of search budget proves
/// nothing: reporting it as a violation would blame the system under test for the checker's limits.
/// </summary>
internal enum Verdict
{
    /// <summary>A linearization exists.</summary>
    Valid,

    /// <summary>The search space was exhausted without finding a linearization.</summary>
    Invalid,

    /// <summary>The search stopped early (state budget exhausted or cancelled) without an answer.</summary>
    Unknown,
}
