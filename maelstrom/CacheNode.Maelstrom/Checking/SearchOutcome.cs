namespace CacheNode.Maelstrom.Checking;

/// <summary>What the search found, before it is turned into a human-readable <see cref="CheckResult"/>.</summary>
/// <param name="Verdict">Valid, Invalid, or Unknown when stopped early.</param>
/// <param name="StatesExplored">Configurations visited (steps taken forward).</param>
/// <param name="Culprit">The required operation (index into <see cref="PreparedHistory.Ops"/>) whose completion
/// the search never got past in its furthest attempt, or -1. Ops are in completion order, so this is also the
/// number of required operations that could be linearized before it.</param>
/// <param name="StatesAtCulprit">Register states the search held when it was stuck at the culprit.</param>
/// <param name="Cancelled">True if the search stopped because of the cancellation token, not the budget.</param>
/// <param name="Mode">The semantics the search used; an Invalid verdict under <see cref="SearchMode.RepeatableInfo"/>
/// holds for the real semantics too, but its culprit and states are those of the relaxation.</param>
internal sealed record SearchOutcome(Verdict Verdict, long StatesExplored, int Culprit, IReadOnlyCollection<int?> StatesAtCulprit, bool Cancelled, SearchMode Mode);
