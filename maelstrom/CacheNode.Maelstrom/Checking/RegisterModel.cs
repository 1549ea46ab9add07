using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The sequential specification every key must appear to follow: a compare-and-set register whose
/// state is null until the key is first written (Knossos' cas-register, Maelstrom's lin-kv).
/// </summary>
internal static class RegisterModel
{
    /// <summary>Applies <paramref name="op"/> to <paramref name="state"/>; false if the step is not legal there.</summary>
    public static bool TryStep(int? state, Operation op, out int? next)
    {
        switch (op.Kind)
        {
            case OpKind.Read:
                // A read observes the state without changing it; reading nil means "the key was missing".
                next = state;
                return state == op.Value;
            case OpKind.Write:
                next = op.Value;
                return true;
            default:
                // A cas on a missing key fails with "key does not exist", so a cas from nil never succeeds.
                next = op.Value;
                return state is not null && state == op.From;
        }
    }

    /// <summary>
    /// True for operations that leave the state unchanged whenever they are legal (reads, cas x->x).
    /// Such an operation can always be moved to the earliest point where it is legal, which lets the
    /// search take it without branching.
    /// </summary>
    public static bool PreservesState(Operation op) =>
        op.Kind == OpKind.Read || (op.Kind == OpKind.Cas && op.From == op.Value);
}
