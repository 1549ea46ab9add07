using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.UnitTests.TestDoubles;

/// <summary>
/// The real <see cref="LocalDatabase"/> behind switches a test can throw: hold reads or writes at a gate,
/// fail the next writes; and counters of what reached it.
/// </summary>
internal sealed class ControllableDatabase : IKeyValueDatabase
{
    private readonly LocalDatabase _inner = new();
    private int _reads;
    private int _writes;
    private int _writesInFlight;
    private int _maxWritesInFlight;
    private int _failingWrites;
    private int _failingReads;

    public string Name => "controllable";

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public int MaxWritesInFlight => Volatile.Read(ref _maxWritesInFlight);

    /// <summary>While set, reads wait for this task before answering (and a faulted task fails them).</summary>
    public Task? ReadGate { get; set; }

    /// <summary>While set, writes wait for this task before they apply (counted as started and in flight meanwhile).</summary>
    public Task? WriteGate { get; set; }

    /// <summary>Called once per read after it has read the store, before the gate (to interleave a write).</summary>
    public Func<Task>? AfterReadBeforeReply { get; set; }

    public LocalDatabase Store => _inner;

    public void FailNextWrites(int count) => Volatile.Write(ref _failingWrites, count);

    public void FailNextReads(int count) => Volatile.Write(ref _failingReads, count);

    public async ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        if (Interlocked.Decrement(ref _failingReads) >= 0)
        {
            throw NodeErrorException.Unavailable("injected read failure");
        }

        var result = await _inner.ReadAsync(key, cancellationToken);
        if (AfterReadBeforeReply is { } hook)
        {
            await hook();
        }

        if (ReadGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        return result;
    }

    public async ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        var inFlight = Interlocked.Increment(ref _writesInFlight);
        try
        {
            UpdateMax(inFlight);
            if (WriteGate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            if (Interlocked.Decrement(ref _failingWrites) >= 0)
            {
                throw NodeErrorException.Indefinite("injected write timeout");
            }

            await _inner.WriteAsync(key, value, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _writesInFlight);
        }
    }

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return _inner.CasAsync(key, from, to, createIfNotExists, cancellationToken);
    }

    private void UpdateMax(int inFlight)
    {
        var seen = Volatile.Read(ref _maxWritesInFlight);
        while (inFlight > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxWritesInFlight, inFlight, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
