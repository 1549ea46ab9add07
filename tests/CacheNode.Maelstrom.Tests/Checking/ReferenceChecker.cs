using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>
/// The specification, executed by brute force, for cross-checking the real checker on small histories:
/// try every order of the operations that respects real time (a precedes b iff a completed strictly before
/// b was invoked), where every Ok operation appears once, Fail ones never, and Info ones at most once.
/// Deliberately shares no code with the checker (its own register step, no reductions).
/// </summary>
internal static class ReferenceChecker
{
    public static bool IsLinearizable(IReadOnlyList<Operation> history)
    {
        var ops = history.Where(op => op.Status != OpStatus.Fail).ToList();
        if (ops.Count > 24)
        {
            throw new ArgumentException("Too many operations for brute force.", nameof(history));
        }

        var mustDo = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Status == OpStatus.Ok)
            {
                mustDo |= 1 << i;
            }
        }

        var dead = new HashSet<(int Used, int? State)>();
        return Search(0, null);

        bool Search(int used, int? state)
        {
            if ((used & mustDo) == mustDo)
            {
                return true;
            }

            if (dead.Contains((used, state)))
            {
                return false;
            }

            for (var i = 0; i < ops.Count; i++)
            {
                if ((used & (1 << i)) != 0 || !CanGoNext(i, used) || !Step(state, ops[i], out var next))
                {
                    continue;
                }

                if (Search(used | (1 << i), next))
                {
                    return true;
                }
            }

            dead.Add((used, state));
            return false;
        }

        bool CanGoNext(int candidate, int used)
        {
            for (var j = 0; j < ops.Count; j++)
            {
                var unusedOk = (used & (1 << j)) == 0 && ops[j].Status == OpStatus.Ok;
                if (j != candidate && unusedOk && ops[j].Complete < ops[candidate].Invoke)
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static bool Step(int? state, Operation op, out int? next)
    {
        next = state;
        if (op.Kind == OpKind.Read)
        {
            return op.Value == state;
        }

        if (op.Kind == OpKind.Cas && (state is null || op.From != state))
        {
            return false;
        }

        next = op.Value;
        return true;
    }
}
