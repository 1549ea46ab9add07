using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// One key's history reduced to what the search must consider. Every reduction here is exact: it
/// removes only operations that cannot change whether a linearization exists.
/// <list type="bullet">
/// <item>Fail operations did not happen.</item>
/// <item>Info reads may be left out of any linearization, and leaving them out never hurts.</item>
/// <item>Info cas x->x and Info cas from nil change nothing or can never succeed.</item>
/// <item>An Info write or cas whose result no remaining operation could observe (no Ok read returns it,
/// no cas expects it) can be dropped: in any linearization the next operation after it must be a write,
/// so removing it leaves every later state unchanged. Repeated until nothing more drops.</item>
/// </list>
/// </summary>
internal sealed class PreparedHistory
{
    private PreparedHistory(string key, IReadOnlyList<Operation> considered, SearchOp[] ops, int requiredCount)
    {
        Key = key;
        Considered = considered;
        Ops = ops;
        RequiredCount = requiredCount;
    }

    public string Key { get; }

    /// <summary>Operations that may have mattered (Ok ones, and Info ones but reads and pointless cas): what a
    /// report may show. Includes Info operations dropped for having no observable result.</summary>
    public IReadOnlyList<Operation> Considered { get; }

    /// <summary>
    /// Required (Ok) operations first, in completion order, then optional (Info) ones in invocation order.
    /// Completion order makes the linearized set mostly a dense prefix, which keeps memo keys short.
    /// </summary>
    public SearchOp[] Ops { get; }

    public int RequiredCount { get; }

    public int OptionalCount => Ops.Length - RequiredCount;

    /// <summary>How many info classes exist (see <see cref="SearchOp.InfoClass"/>).</summary>
    public int InfoClassCount { get; private init; }

    public static PreparedHistory From(IReadOnlyList<Operation> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var key = ops.Count > 0 ? ops[0].Key : string.Empty;
        foreach (var op in ops)
        {
            if (!string.Equals(op.Key, key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Operations of more than one key ({key}, {op.Key}); check keys separately.", nameof(ops));
            }

            if (op.Status == OpStatus.Ok && op.Complete < op.Invoke)
            {
                throw new ArgumentException($"Operation {op} completes before it is invoked.", nameof(ops));
            }
        }

        var considered = ops.Where(op => op.Status == OpStatus.Ok
            || (op.Status == OpStatus.Info && op.Kind != OpKind.Read && !IsPointlessCas(op))).ToList();
        var required = considered.Where(op => op.Status == OpStatus.Ok)
            .OrderBy(op => op.Complete).ThenBy(op => op.Invoke).ThenBy(op => op.Id).ToList();
        var optional = considered.Where(op => op.Status == OpStatus.Info).ToList();
        DropUnobservableResults(required, optional);
        optional = [.. optional.OrderBy(op => op.Invoke).ThenBy(op => op.Id)];

        var searchOps = new SearchOp[required.Count + optional.Count];
        for (var i = 0; i < required.Count; i++)
        {
            searchOps[i] = new SearchOp(required[i], Required: true, InfoClass: -1, InfoRank: -1);
        }

        // Info operations of one class are interchangeable once invoked: they stay pending forever and do
        // the same thing. The search only ever linearizes the lowest-ranked unused one of a class.
        var classes = new Dictionary<(OpKind Kind, int? From, int? Value), int>();
        var classSizes = new List<int>();
        for (var i = 0; i < optional.Count; i++)
        {
            var op = optional[i];
            var signature = (op.Kind, op.Kind == OpKind.Cas ? op.From : null, op.Value);
            if (!classes.TryGetValue(signature, out var infoClass))
            {
                infoClass = classes.Count;
                classes.Add(signature, infoClass);
                classSizes.Add(0);
            }

            searchOps[required.Count + i] = new SearchOp(op, Required: false, infoClass, classSizes[infoClass]);
            classSizes[infoClass]++;
        }

        return new PreparedHistory(key, considered, searchOps, required.Count) { InfoClassCount = classes.Count };
    }

    private static bool IsPointlessCas(Operation op) =>
        op.Kind == OpKind.Cas && (op.From is null || op.From == op.Value);

    private static void DropUnobservableResults(List<Operation> required, List<Operation> optional)
    {
        while (true)
        {
            var observed = new HashSet<int>();
            var nilObserved = false;
            foreach (var op in required.Concat(optional))
            {
                if (op.Kind == OpKind.Write)
                {
                    continue;
                }

                var wanted = op.Kind == OpKind.Read ? op.Value : op.From;
                if (wanted is int value)
                {
                    observed.Add(value);
                }
                else
                {
                    nilObserved = true;
                }
            }

            var dropped = optional.RemoveAll(op => !(op.Value is int value ? observed.Contains(value) : nilObserved));
            if (dropped == 0)
            {
                return;
            }
        }
    }
}
