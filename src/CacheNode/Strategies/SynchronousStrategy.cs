using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// What write-through and cache-aside share: the database is written before the ack, reads go through
/// the single-flight cache, and the only difference is what a successful write does to the cached copy.
/// In a cluster this runs on the key's home, and every write, cas and invalidate first revokes the key on
/// the peers that may hold it (or waits out the key leases of holders that do not answer).
/// </summary>
internal abstract class SynchronousStrategy : ICacheStrategy
{
    private readonly SingleFlightReader _reader;
    private readonly IKeyValueDatabase _database;
    private readonly LandingFence _landing;
    private readonly HolderRevoker? _holders;
    private readonly UnsafeOrder _unsafeOrder;

    /// <param name="landing">How long a write that got no answer keeps its key out of the cache.</param>
    /// <param name="holders">Null on a single node (or with invalidation switched off for testing).</param>
    /// <param name="unsafeOrder">TESTING ONLY: an order that is not linearizable.</param>
    protected SynchronousStrategy(SingleFlightReader reader, IKeyValueDatabase database, LandingFence landing, HolderRevoker? holders, UnsafeOrder unsafeOrder)
    {
        _reader = reader;
        _database = database;
        _landing = landing;
        _holders = holders;
        _unsafeOrder = unsafeOrder;
    }

    public abstract string Name { get; }

    /// <summary>What a write that reached the database does to the cached copy of its key.</summary>
    protected abstract WriteCompletion AfterWrite { get; }

    private CacheStore Cache => _reader.Cache;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(key, cancellationToken);

    public async ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default) =>
        await ChangeAsync(
            key,
            value,
            async token =>
            {
                await _database.WriteAsync(key, value, token);
                return CasResult.Ok; // a plain write always applies
            },
            cancellationToken);

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default) =>
        ChangeAsync(key, to, token => _database.CasAsync(key, from, to, createIfNotExists, token), cancellationToken);

    /// <summary>Drops the key on every node: acked once every holder has, or has provably stopped serving.</summary>
    public async ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        try
        {
            await RevokeHoldersAsync(key, cancellationToken);
        }
        finally
        {
            Cache.EndWrite(ticket, WriteCompletion.Invalidate);
        }
    }

    // Every write was in the database before it was acked.
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // A write or cas: revoke the holders, change the database, then settle the cached copy. From BeginWrite
    // on no fill of the key installs, here or (through this home) on any peer.
    private async ValueTask<CasResult> ChangeAsync(RawJson key, RawJson written, Func<CancellationToken, ValueTask<CasResult>> changeDatabase, CancellationToken cancellationToken)
    {
        var ticket = Cache.BeginWrite(key);
        // Until the database answers, the change may or may not have happened: drop the cached copy.
        var completion = WriteCompletion.Invalidate;
        var sent = false;
        var answered = false;
        try
        {
            CasResult result;
            if (_unsafeOrder != UnsafeOrder.None)
            {
                // The order this strategy exists to avoid: between the database write and the revocation,
                // a peer serves the old value from its cache while another fills the new one.
                sent = true;
                result = await changeDatabase(cancellationToken);
                answered = true;
                await RevokeAfterWriteAsync(key, cancellationToken);
            }
            else
            {
                await RevokeHoldersAsync(key, cancellationToken);
                sent = true;
                result = await changeDatabase(cancellationToken);
                answered = true;
            }

            // A failed compare changed nothing: the copy set aside when the cas began comes back.
            completion = result == CasResult.Ok ? AfterWrite : WriteCompletion.Unchanged;
            return result;
        }
        finally
        {
            EndWrite(ticket, completion, written, unanswered: sent && !answered);
        }
    }

    // A write that failed after it may have left (no answer, a deadline, an error) may still land: its key
    // stays "being written" until it must have landed, so no fill installs, or leases, the value before it.
    private void EndWrite(WriteTicket ticket, WriteCompletion completion, RawJson value, bool unanswered)
    {
        if (unanswered)
        {
            _landing.AfterLanding(() => Cache.EndWrite(ticket, WriteCompletion.Invalidate));
            return;
        }

        Cache.EndWrite(ticket, completion, value);
    }

    private ValueTask RevokeHoldersAsync(RawJson key, CancellationToken cancellationToken) =>
        _holders?.RevokeHoldersAsync(key, cancellationToken) ?? ValueTask.CompletedTask;

    // TESTING ONLY. Write-first revokes after the database write; ack-first in the background, after the ack.
    private async ValueTask RevokeAfterWriteAsync(RawJson key, CancellationToken cancellationToken)
    {
        if (_unsafeOrder != UnsafeOrder.AckFirst)
        {
            await RevokeHoldersAsync(key, cancellationToken);
            return;
        }

        _ = Task.Run(
            async () =>
            {
                try
                {
                    await RevokeHoldersAsync(key, CancellationToken.None);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down; the holders' key leases run out anyway.
                }
            },
            CancellationToken.None);
    }
}
