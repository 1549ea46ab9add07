namespace CacheNode.Maelstrom.Checking;

/// <summary>One step of the current partial linearization, with what is needed to undo it.</summary>
/// <param name="Op">The operation linearized (index into <see cref="PreparedHistory.Ops"/>).</param>
/// <param name="StateBefore">The register state before the step.</param>
/// <param name="MustConsumeBefore">Whether the configuration before the step owed a consumer.</param>
/// <param name="Forced">True if the step was a state-preserving operation taken without branching: if it
/// leads nowhere, neither does the configuration it was taken from, so backtracking skips past it.</param>
/// <param name="Deadline">Optional operations only: the completion time of the first required operation still
/// to complete when the step was taken; the step happened no later than that.</param>
internal readonly record struct SearchFrame(int Op, int? StateBefore, bool MustConsumeBefore, bool Forced, long Deadline);
