using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Wing &amp; Gong's depth-first search with Lowe's just-in-time linearization and memoisation (G. Lowe,
/// "Testing for linearizability", 2017; the same scheme as Knossos' and Porcupine's checkers).
/// <para>
/// Required operations live in a list of call and return entries sorted by time. An operation whose call
/// precedes the first remaining return is pending: it may be linearized now. The search linearizes a pending
/// operation whose step is legal, lifting its entries out of the list; reaching a return entry means that
/// operation was not linearized in time, so the search backtracks. Configurations already entered are
/// skipped: from the same configuration the rest of the search is the same (<see cref="ExploredConfigurations"/>
/// extends this to configurations that used more Info operations).
/// </para>
/// <para>
/// Optional (Info) operations have no return entry: once invoked they stay pending until linearized, and the
/// search succeeds as soon as every required operation is linearized, leaving the rest out. In
/// <see cref="SearchMode.RepeatableInfo"/> they are never lifted out, so each may be used again.
/// </para>
/// <para>
/// Three exact reductions keep the branching down:
/// <list type="bullet">
/// <item>A legal state-preserving operation (read, cas x->x) is taken at once without trying alternatives:
/// moving it earlier never invalidates a linearization.</item>
/// <item>Of interchangeable Info operations only the earliest unused one is tried.</item>
/// <item>An Info operation is linearized only if the very next step consumes the value it leaves (a read of it,
/// or a cas from it). In any linearization, the step after an Info operation is either such a consumer or a
/// write, and in the second case the Info operation can be dropped without changing any later state. Without
/// this, every pending Info write could be tried at every point of the history.</item>
/// </list>
/// </para>
/// </summary>
internal sealed class LinearizabilitySearch
{
    private const int CancellationCheckInterval = 4096;
    private const int MaxStatesReported = 16;

    private readonly SearchOp[] _ops;
    private readonly int _requiredCount;
    private readonly bool _repeatableInfo;
    private readonly long _stateBudget;
    private readonly CancellationToken _cancellationToken;

    // Required operations: entries 1..2n in time order; at equal times calls sort before returns, so an
    // operation completing exactly when another is invoked does not precede it (intervals are closed).
    private readonly LinkedEntries _entries;
    private readonly int[] _entryOp;
    private readonly bool[] _entryIsReturn;
    private readonly int[] _callEntry;
    private readonly int[] _returnEntry;

    // Optional operations: node k is operation requiredCount + k - 1, in invocation order.
    private readonly LinkedEntries _optional;
    private readonly int[] _linearizedPerClass;

    private readonly LinearizedSet _linearized;
    private readonly ExploredConfigurations _entered = new();
    private readonly Stack<SearchFrame> _path = new();
    private readonly HashSet<int?> _statesAtFurthest = [];

    private int? _state;

    // True right after an optional operation: the next step must consume the state it left.
    private bool _mustConsume;
    private int _requiredLeft;
    private int _furthestReturn = -1;
    private long _explored;
    private long _steps;

    public LinearizabilitySearch(PreparedHistory history, SearchMode mode, long stateBudget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        _repeatableInfo = mode == SearchMode.RepeatableInfo;
        _ops = history.Ops;
        _requiredCount = history.RequiredCount;
        _requiredLeft = history.RequiredCount;
        _stateBudget = stateBudget;
        _cancellationToken = cancellationToken;

        var events = new List<(long Time, bool IsReturn, int Op)>(2 * _requiredCount);
        for (var op = 0; op < _requiredCount; op++)
        {
            events.Add((_ops[op].Source.Invoke, false, op));
            events.Add((_ops[op].Source.Complete, true, op));
        }

        events.Sort();
        _entries = new LinkedEntries(events.Count);
        _entryOp = new int[events.Count + 1];
        _entryIsReturn = new bool[events.Count + 1];
        _callEntry = new int[_requiredCount];
        _returnEntry = new int[_requiredCount];
        for (var i = 0; i < events.Count; i++)
        {
            var (_, isReturn, op) = events[i];
            var entry = i + 1;
            (_entryOp[entry], _entryIsReturn[entry]) = (op, isReturn);
            (isReturn ? _returnEntry : _callEntry)[op] = entry;
        }

        _optional = new LinkedEntries(history.OptionalCount);
        _linearizedPerClass = new int[history.InfoClassCount];
        _linearized = new LinearizedSet(_requiredCount, history.OptionalCount);
    }

    private enum Phase
    {
        /// <summary>A new configuration: look for a state-preserving operation to take without branching.</summary>
        Fresh,

        /// <summary>Trying pending required operations, from a cursor in the entry list.</summary>
        Required,

        /// <summary>Trying pending optional operations, from a cursor in the optional list.</summary>
        Optional,
    }

    public SearchOutcome Run()
    {
        var phase = Phase.Fresh;
        var cursor = LinkedEntries.None;
        while (_requiredLeft > 0)
        {
            if (++_steps % CancellationCheckInterval == 0 && _cancellationToken.IsCancellationRequested)
            {
                return Stopped(cancelled: true);
            }

            if (_explored > _stateBudget)
            {
                return Stopped(cancelled: false);
            }

            bool advanced;
            switch (phase)
            {
                case Phase.Fresh:
                    var taken = TakeStatePreservingOp();
                    if (taken is not null)
                    {
                        advanced = taken.Value;
                        break;
                    }

                    (phase, cursor) = (Phase.Required, _entries.First);
                    continue;

                case Phase.Required:
                    advanced = TryRequired(ref cursor);
                    if (!advanced)
                    {
                        (phase, cursor) = (Phase.Optional, _optional.First);
                        continue;
                    }

                    break;

                default:
                    advanced = TryOptional(ref cursor);
                    if (!advanced && !_mustConsume)
                    {
                        // Nothing pending leads anywhere: the operation returning first cannot be linearized in time.
                        RecordStuck(FirstReturn());
                    }

                    break;
            }

            if (advanced)
            {
                phase = Phase.Fresh;
            }
            else if (!Backtrack(out phase, out cursor))
            {
                return Outcome(Verdict.Invalid);
            }
        }

        // A linearization that uses some Info operation more often than it can have happened proves nothing.
        return Outcome(!_repeatableInfo || UsesEachInfoOpAtMostOnce() ? Verdict.Valid : Verdict.Unknown);
    }

    /// <summary>True if one was taken, false if one was legal but leads to a configuration known to fail (so
    /// this one fails too), null if no pending state-preserving operation is legal.</summary>
    private bool? TakeStatePreservingOp()
    {
        // A legal read reads the current state, so it also settles any value owed to a consumer.
        for (var entry = _entries.First; !_entryIsReturn[entry]; entry = _entries.Next(entry))
        {
            var op = _entryOp[entry];
            if (_ops[op].PreservesState && RegisterModel.TryStep(_state, _ops[op].Source, out _))
            {
                return TryLinearize(op, forced: true, deadline: long.MinValue);
            }
        }

        return null;
    }

    /// <summary>Tries pending required operations from <paramref name="cursor"/> up to the first return.</summary>
    private bool TryRequired(ref int cursor)
    {
        for (; !_entryIsReturn[cursor]; cursor = _entries.Next(cursor))
        {
            // State-preserving ones were handled in the Fresh phase; none is legal here.
            var op = _ops[_entryOp[cursor]];
            if (!op.PreservesState && !(_mustConsume && op.Source.Kind == OpKind.Write) && TryLinearize(_entryOp[cursor], forced: false, deadline: long.MinValue))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Tries pending optional operations from <paramref name="cursor"/>: those invoked by the first return.</summary>
    private bool TryOptional(ref int cursor)
    {
        var deadline = _ops[_entryOp[FirstReturn()]].Source.Complete;
        for (; cursor != LinkedEntries.None; cursor = _optional.Next(cursor))
        {
            var index = _requiredCount + cursor - 1;
            var op = _ops[index];
            if (op.Source.Invoke > deadline)
            {
                return false;
            }

            // Only the lowest-ranked unused member of a class (when Info operations repeat, the first member can
            // stand for all); a write would not consume an owed value.
            var canonical = op.InfoRank == (_repeatableInfo ? 0 : _linearizedPerClass[op.InfoClass]);
            if (canonical && !(_mustConsume && op.Source.Kind == OpKind.Write) && TryLinearize(index, forced: false, deadline))
            {
                return true;
            }
        }

        return false;
    }

    private bool TryLinearize(int op, bool forced, long deadline)
    {
        if (!RegisterModel.TryStep(_state, _ops[op].Source, out var next))
        {
            return false;
        }

        var required = op < _requiredCount;
        var lifted = required || !_repeatableInfo;
        if (lifted)
        {
            _linearized.Toggle(op);
        }

        var key = _linearized.RequiredKeyWith(next, mustConsume: !required);
        if (_entered.Covers(key, _linearized))
        {
            if (lifted)
            {
                _linearized.Toggle(op);
            }

            return false;
        }

        _entered.Add(key, _linearized.OptionalSnapshot());
        _explored++;
        _path.Push(new SearchFrame(op, _state, _mustConsume, forced, deadline));
        (_state, _mustConsume) = (next, !required);
        if (required)
        {
            _entries.Remove(_callEntry[op]);
            _entries.Remove(_returnEntry[op]);
            _requiredLeft--;
        }
        else if (lifted)
        {
            _optional.Remove(op - _requiredCount + 1);
            _linearizedPerClass[_ops[op].InfoClass]++;
        }

        return true;
    }

    /// <summary>Undoes steps until one whose configuration has untried alternatives; false if none is left.</summary>
    private bool Backtrack(out Phase phase, out int cursor)
    {
        while (_path.TryPop(out var frame))
        {
            var op = frame.Op;
            (_state, _mustConsume) = (frame.StateBefore, frame.MustConsumeBefore);
            if (op < _requiredCount)
            {
                _linearized.Toggle(op);
                _entries.Restore(_returnEntry[op]);
                _entries.Restore(_callEntry[op]);
                _requiredLeft++;
            }
            else if (!_repeatableInfo)
            {
                _linearized.Toggle(op);
                _optional.Restore(op - _requiredCount + 1);
                _linearizedPerClass[_ops[op].InfoClass]--;
            }

            if (frame.Forced)
            {
                continue;
            }

            (phase, cursor) = op < _requiredCount
                ? (Phase.Required, _entries.Next(_callEntry[op]))
                : (Phase.Optional, _optional.Next(op - _requiredCount + 1));
            return true;
        }

        (phase, cursor) = (Phase.Fresh, LinkedEntries.None);
        return false;
    }

    /// <summary>
    /// Whether the linearization on the path (found with Info operations repeatable) can be carried out with
    /// distinct members of each Info class: the k-th use of a class, in path order, gets the class's k-th
    /// member, which must have been invoked by the time of that use. Matching in order is optimal, so if this
    /// fails no assignment exists for this path (another path might still work: the caller searches on).
    /// </summary>
    private bool UsesEachInfoOpAtMostOnce()
    {
        var uses = new List<long>[_linearizedPerClass.Length];
        foreach (var frame in _path.Reverse())
        {
            if (frame.Op >= _requiredCount)
            {
                (uses[_ops[frame.Op].InfoClass] ??= []).Add(frame.Deadline);
            }
        }

        for (var op = _requiredCount; op < _ops.Length; op++)
        {
            var (infoClass, rank) = (_ops[op].InfoClass, _ops[op].InfoRank);
            if (uses[infoClass] is { } classUses && rank < classUses.Count && _ops[op].Source.Invoke > classUses[rank])
            {
                return false;
            }
        }

        for (var infoClass = 0; infoClass < uses.Length; infoClass++)
        {
            if (uses[infoClass] is { } classUses && classUses.Count > _ops.Count(op => op.InfoClass == infoClass && !op.Required))
            {
                return false;
            }
        }

        return true;
    }

    private int FirstReturn()
    {
        var entry = _entries.First;
        while (!_entryIsReturn[entry])
        {
            entry = _entries.Next(entry);
        }

        return entry;
    }

    /// <summary>Remembers the furthest point in time the search reached, for the report.</summary>
    private void RecordStuck(int returnEntry)
    {
        if (returnEntry > _furthestReturn)
        {
            _furthestReturn = returnEntry;
            _statesAtFurthest.Clear();
        }

        if (returnEntry == _furthestReturn && _statesAtFurthest.Count < MaxStatesReported)
        {
            _statesAtFurthest.Add(_state);
        }
    }

    private SearchOutcome Stopped(bool cancelled) => Outcome(Verdict.Unknown) with { Cancelled = cancelled };

    private SearchOutcome Outcome(Verdict verdict) => new(
        verdict,
        _explored,
        _furthestReturn < 0 ? -1 : _entryOp[_furthestReturn],
        [.. _statesAtFurthest],
        Cancelled: false,
        _repeatableInfo ? SearchMode.RepeatableInfo : SearchMode.Exact);
}
