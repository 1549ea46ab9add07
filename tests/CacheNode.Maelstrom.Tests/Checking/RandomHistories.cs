using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>Random histories of one key, for properties that hand-written cases cannot cover.</summary>
internal static class RandomHistories
{
    /// <summary>
    /// A history that is linearizable by construction: each process runs one operation at a time; every
    /// operation that takes effect gets a point inside its interval (Info ones: anywhere after invocation, or
    /// none), and a sequential register applied in point order decides reads and whether a cas succeeds.
    /// Times are whole <paramref name="unitNanos"/> units, so a coarse unit makes equal timestamps common.
    /// </summary>
    public static List<Operation> Linearizable(
        Random random, int count, int processes, double infoRate, int maxGap = 100, int maxDuration = 1000, long unitNanos = 1000, int values = 5)
    {
        var clocks = new long[processes];
        var ids = Enumerable.Range(0, processes).ToArray();
        var ops = new Operation[count];
        var points = new long?[count];
        for (var i = 0; i < count; i++)
        {
            var slot = random.Next(processes);
            var invoke = clocks[slot] + random.Next(maxGap + 1);
            var complete = invoke + random.Next(maxDuration + 1);
            clocks[slot] = complete;
            var roll = random.NextDouble();
            var kind = roll < 0.5 ? OpKind.Read : roll < 0.75 ? OpKind.Write : OpKind.Cas;
            var info = random.NextDouble() < infoRate;
            points[i] = info
                ? random.Next(2) == 0 ? null : invoke + random.Next((3 * maxDuration) + 1)
                : invoke + random.NextInt64(complete - invoke + 1);
            ops[i] = new Operation(0, ids[slot], kind, "k", random.Next(values), kind == OpKind.Cas ? random.Next(values) : null,
                invoke * unitNanos, info ? long.MaxValue : complete * unitNanos, info ? OpStatus.Info : OpStatus.Ok);
            if (info)
            {
                // Jepsen's rule: the process may still be running the operation, so the client goes on as a new one.
                ids[slot] += processes;
            }
        }

        // Apply in point order (ties: any order is consistent, since precedence needs a strictly earlier completion).
        int? state = null;
        foreach (var i in Enumerable.Range(0, count).Where(i => points[i] is not null).OrderBy(i => points[i]))
        {
            var op = ops[i];
            switch (op.Kind)
            {
                case OpKind.Read:
                    ops[i] = op.Status == OpStatus.Ok ? op with { Value = state } : op;
                    break;
                case OpKind.Write:
                    state = op.Value;
                    break;
                default:
                    if (state is not null && state == op.From)
                    {
                        state = op.Value;
                    }
                    else if (op.Status == OpStatus.Ok)
                    {
                        // The cas's precondition did not hold at its point: a definite failure.
                        ops[i] = op with { Status = OpStatus.Fail };
                    }

                    break;
            }
        }

        // Info reads carry no value; reads that never took effect must not claim one either.
        return Renumber(ops.Select(op => op.Kind == OpKind.Read && op.Status == OpStatus.Info ? op with { Value = null } : op));
    }

    /// <summary>Small arbitrary histories (mostly not linearizable) on a coarse clock: many equal timestamps.</summary>
    public static List<Operation> Noise(Random random, int count, int values = 3)
    {
        var ops = new List<Operation>();
        for (var i = 0; i < count; i++)
        {
            var invoke = random.Next(12);
            var complete = invoke + random.Next(5);
            var roll = random.NextDouble();
            var kind = roll < 0.45 ? OpKind.Read : roll < 0.75 ? OpKind.Write : OpKind.Cas;
            var statusRoll = random.NextDouble();
            var status = statusRoll < 0.7 ? OpStatus.Ok : statusRoll < 0.85 ? OpStatus.Info : OpStatus.Fail;
            int? value = kind == OpKind.Read && random.Next(4) == 0 ? null : random.Next(values);
            ops.Add(new Operation(0, i, kind, "k", value, kind == OpKind.Cas ? random.Next(values) : null,
                invoke, status == OpStatus.Info ? long.MaxValue : complete, status));
        }

        return Renumber(ops);
    }

    private static List<Operation> Renumber(IEnumerable<Operation> ops) =>
        [.. ops.OrderBy(op => op.Invoke).Select((op, index) => op with { Id = index })];
}
