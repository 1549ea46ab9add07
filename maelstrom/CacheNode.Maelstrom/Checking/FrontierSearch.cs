using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// The same search space as <see cref="LinearizabilitySearch"/>, explored breadth-first: layer n holds every
/// configuration (required set, state, Info operations used per class) reachable with n required operations
/// linearized, with subsumed configurations dropped (see <see cref="Frontier"/>).
/// <para>
/// The depth-first search finds a linearization of a valid history quickly, but refuting an invalid one
/// means exhausting the space, and there the order matters: it reaches late configurations first having used
/// many Info operations, so configurations that used fewer (and subsume them) arrive too late to prune
/// anything, and every alternative use of an Info operation early on is re-explored to the end. Layer by
/// layer, only the minimal uses survive, so the work grows with the history, not with the combinations.
/// </para>
/// <para>
/// A step linearizes one required operation, optionally preceded by a chain of Info operations each consumed
/// by the next (an Info operation not followed by a consumer of its result can be dropped; see
/// <see cref="LinearizabilitySearch"/> for this and the other reductions, which apply unchanged).
/// </para>
/// </summary>
internal sealed class FrontierSearch
{
    private const int CancellationCheckInterval = 1024;
    private const int MaxStatesReported = 16;

    private readonly SearchOp[] _ops;
    private readonly int _requiredCount;
    private readonly long _stateBudget;
    private readonly CancellationToken _cancellationToken;

    // For each required operation f: the required operations x >= f invoked by f's completion. When f is the
    // first one not linearized, those not yet linearized are exactly the pending ones.
    private readonly int[][] _pendingAt;

    // Info classes: the operation every member performs, and members' invocation times by rank.
    private readonly Operation[] _classOp;
    private readonly long[][] _classInvokes;

    private readonly List<int> _pending = [];
    private readonly List<(int? State, int[] Used)> _chainsTried = [];
    private readonly HashSet<int?> _statesAtFurthest = [];
    private int _furthest = -1;
    private long _explored;
    private long _expansions;

    public FrontierSearch(PreparedHistory history, long stateBudget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        _ops = history.Ops;
        _requiredCount = history.RequiredCount;
        _stateBudget = stateBudget;
        _cancellationToken = cancellationToken;

        _pendingAt = new int[_requiredCount][];
        var byInvoke = Enumerable.Range(0, _requiredCount).OrderBy(op => _ops[op].Source.Invoke).ToArray();
        var active = new List<int>();
        var next = 0;
        for (var first = 0; first < _requiredCount; first++)
        {
            var deadline = _ops[first].Source.Complete;
            for (; next < byInvoke.Length && _ops[byInvoke[next]].Source.Invoke <= deadline; next++)
            {
                active.Add(byInvoke[next]);
            }

            active.RemoveAll(op => op < first);
            _pendingAt[first] = [.. active];
        }

        var optional = _ops.Skip(_requiredCount).ToList();
        _classOp = new Operation[history.InfoClassCount];
        _classInvokes = new long[history.InfoClassCount][];
        foreach (var members in optional.GroupBy(op => op.InfoClass))
        {
            _classOp[members.Key] = members.First().Source;
            _classInvokes[members.Key] = [.. members.OrderBy(op => op.InfoRank).Select(op => op.Source.Invoke)];
        }
    }

    public long StatesExplored => _explored;

    public SearchOutcome Run()
    {
        var frontier = new Frontier();
        frontier.TryAdd(RequiredSet.Empty.KeyWith(null), new int[_classOp.Length]);
        for (var layer = 0; layer < _requiredCount; layer++)
        {
            var next = new Frontier();
            foreach (var (key, used) in frontier.Configurations)
            {
                if (++_expansions % CancellationCheckInterval == 0 && _cancellationToken.IsCancellationRequested)
                {
                    return Outcome(Verdict.Unknown, cancelled: true);
                }

                var set = new RequiredSet(key.Low, key.Words);
                var first = set.FirstMissing();
                if (!Expand(set, first, key.State, used, next))
                {
                    RecordStuck(first, key.State);
                }

                if (_explored > _stateBudget)
                {
                    return Outcome(Verdict.Unknown, cancelled: false);
                }
            }

            if (next.Count == 0)
            {
                return Outcome(Verdict.Invalid, cancelled: false);
            }

            frontier = next;
        }

        return Outcome(Verdict.Valid, cancelled: false);
    }

    /// <summary>Adds every successor of the configuration to <paramref name="next"/>; false if it has none.</summary>
    private bool Expand(RequiredSet set, int first, int? state, int[] used, Frontier next)
    {
        _pending.Clear();
        foreach (var op in _pendingAt[first])
        {
            if (!set.Contains(op))
            {
                _pending.Add(op);
            }
        }

        // A legal state-preserving operation is taken without considering alternatives.
        foreach (var op in _pending)
        {
            if (_ops[op].PreservesState && RegisterModel.TryStep(state, _ops[op].Source, out _))
            {
                Emit(next, set, op, state, used);
                return true;
            }
        }

        var any = false;
        foreach (var op in _pending)
        {
            if (RegisterModel.TryStep(state, _ops[op].Source, out var after))
            {
                Emit(next, set, op, after, used);
                any = true;
            }
        }

        _chainsTried.Clear();
        return ExpandInfoChains(set, state, used, _ops[first].Source.Complete, consumersOnly: false, next) || any;
    }

    /// <summary>Successors that start with Info operations, each consumed by the next, ending in a required consumer.</summary>
    private bool ExpandInfoChains(RequiredSet set, int? state, int[] used, long deadline, bool consumersOnly, Frontier next)
    {
        var any = false;
        for (var infoClass = 0; infoClass < _classOp.Length; infoClass++)
        {
            var rank = used[infoClass];
            var op = _classOp[infoClass];
            if (rank == _classInvokes[infoClass].Length || _classInvokes[infoClass][rank] > deadline
                || (consumersOnly && op.Kind == OpKind.Write) || !RegisterModel.TryStep(state, op, out var after))
            {
                continue;
            }

            var usedAfter = (int[])used.Clone();
            usedAfter[infoClass]++;
            if (_chainsTried.Exists(tried => tried.State == after && Frontier.AtMost(tried.Used, usedAfter)))
            {
                continue;
            }

            _chainsTried.Add((after, usedAfter));
            foreach (var consumer in _pending)
            {
                if (_ops[consumer].Source.Kind != OpKind.Write && RegisterModel.TryStep(after, _ops[consumer].Source, out var final))
                {
                    Emit(next, set, consumer, final, usedAfter);
                    any = true;
                }
            }

            any |= ExpandInfoChains(set, after, usedAfter, deadline, consumersOnly: true, next);
        }

        return any;
    }

    private void Emit(Frontier next, RequiredSet set, int op, int? state, int[] used)
    {
        if (next.TryAdd(set.With(op).KeyWith(state), used))
        {
            _explored++;
        }
    }

    private void RecordStuck(int first, int? state)
    {
        if (first > _furthest)
        {
            _furthest = first;
            _statesAtFurthest.Clear();
        }

        if (first == _furthest && _statesAtFurthest.Count < MaxStatesReported)
        {
            _statesAtFurthest.Add(state);
        }
    }

    private SearchOutcome Outcome(Verdict verdict, bool cancelled) =>
        new(verdict, _explored, _furthest, [.. _statesAtFurthest], cancelled);
}
