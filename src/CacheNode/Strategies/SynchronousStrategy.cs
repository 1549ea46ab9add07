using CacheNode.Cache;
using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// What write-through and cache-aside share: the database is written before the ack, reads go through
/// the single-flight cache, and the only difference is what a successful write does to the cached copy.
/// In a cluster every write, cas and invalidate first revokes the key on every peer (or waits out the
/// leases of peers that do not answer), and releases it once the database has answered.
/// </summary>
internal abstract class SynchronousStrategy : ICacheStrategy
{
    private readonly SingleFlightReader _reader;
    private readonly IKeyValueDatabase _database;
    private readonly PeerInvalidator? _peers;
    private readonly UnsafeOrder _unsafeOrder;
    private const int MaxRevokeAttempts = 3;

    /// <param name="peers">Null on a single node (or with invalidation switched off for testing).</param>
    /// <param name="unsafeOrder">TESTING ONLY: an order that is not linearizable.</param>
    protected SynchronousStrategy(SingleFlightReader reader, IKeyValueDatabase database, PeerInvalidator? peers, UnsafeOrder unsafeOrder)
    {
        _reader = reader;
        _database = database;
        _peers = peers;
        _unsafeOrder = unsafeOrder;
    }

    public abstract string Name { get; }

    /// <summary>What a write that reached the database does to the cached copy of its key.</summary>
    protected abstract WriteCompletion AfterWrite { get; }

    private CacheStore Cache => _reader.Cache;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(key, cancellationToken);

    public async ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        // Until the database answers, the write may or may not have happened: drop the cached copy.
        var completion = WriteCompletion.Invalidate;
        Revocation? revocation = null;
        try
        {
            if (_unsafeOrder != UnsafeOrder.None)
            {
                // The order this strategy exists to avoid: between the database write and the revocation,
                // a peer serves the old value from its cache while another fills the new one.
                await _database.WriteAsync(key, value, cancellationToken);
                revocation = await RevokeUnlessAckFirstAsync(key, AfterWrite, value, cancellationToken);
            }
            else
            {
                revocation = await RevokeForDatabaseAsync(key, cancellationToken);
                await _database.WriteAsync(key, value, cancellationToken);
            }

            completion = AfterWrite;
        }
        finally
        {
            Cache.EndWrite(ticket, completion, value);
            ReleaseOnPeers(revocation, completion, value);
        }
    }

    public async ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        var completion = WriteCompletion.Invalidate;
        Revocation? revocation = null;
        try
        {
            CasResult result;
            if (_unsafeOrder != UnsafeOrder.None)
            {
                result = await _database.CasAsync(key, from, to, createIfNotExists, cancellationToken);
                revocation = await RevokeUnlessAckFirstAsync(key, result == CasResult.Ok ? AfterWrite : WriteCompletion.Unchanged, to, cancellationToken);
            }
            else
            {
                revocation = await RevokeForDatabaseAsync(key, cancellationToken);
                result = await _database.CasAsync(key, from, to, createIfNotExists, cancellationToken);
            }

            // A failed compare changed nothing: the copy set aside when the cas began comes back.
            completion = result == CasResult.Ok ? AfterWrite : WriteCompletion.Unchanged;
            return result;
        }
        finally
        {
            Cache.EndWrite(ticket, completion, to);
            ReleaseOnPeers(revocation, completion, to);
        }
    }

    /// <summary>Drops the key on every node: acked once every peer has, or has provably stopped serving.</summary>
    public async ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        var ticket = Cache.BeginWrite(key);
        Revocation? revocation = null;
        try
        {
            revocation = await RevokeOnPeersAsync(key, cancellationToken);
        }
        finally
        {
            Cache.EndWrite(ticket, WriteCompletion.Invalidate);
            ReleaseOnPeers(revocation, WriteCompletion.Invalidate, default);
        }
    }

    // Every write was in the database before it was acked.
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // TESTING ONLY. Ack-first revokes in the background, after the ack, and releases when it is done.
    private async ValueTask<Revocation?> RevokeUnlessAckFirstAsync(RawJson key, WriteCompletion completion, RawJson value, CancellationToken cancellationToken)
    {
        if (_unsafeOrder != UnsafeOrder.AckFirst)
        {
            return await RevokeOnPeersAsync(key, cancellationToken);
        }

        _ = Task.Run(
            async () =>
            {
                try
                {
                    ReleaseOnPeers(await RevokeOnPeersAsync(key, CancellationToken.None), completion, value);
                }
                catch (Exception ex) when (ex is NodeErrorException or OperationCanceledException)
                {
                    // The peers' leases run out in time anyway.
                }
            },
            CancellationToken.None);
        return null;
    }

    private ValueTask<Revocation> RevokeOnPeersAsync(RawJson key, CancellationToken cancellationToken) =>
        _peers?.RevokeAsync(key, cancellationToken) ?? ValueTask.FromResult(Revocation.None);

    // A revocation the write can still rely on when it is sent. A node stalled (a long pause, a starved
    // thread pool) past the revocation's send window revokes again rather than fail the write; nothing
    // was sent, so the peers may bring back what they set aside.
    private async ValueTask<Revocation> RevokeForDatabaseAsync(RawJson key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var revocation = await RevokeOnPeersAsync(key, cancellationToken);
            if (_peers is null || _peers.IsStillSendable(revocation))
            {
                return revocation;
            }

            _peers.Release(revocation, WriteCompletion.Unchanged, default);
            if (attempt == MaxRevokeAttempts)
            {
                throw NodeErrorException.Unavailable("the write stalled past its revocations' lifetime and was not sent; try again");
            }
        }
    }

    // Peers end the write as this node does: install (write-through, surely written), drop, or keep.
    private void ReleaseOnPeers(Revocation? revocation, WriteCompletion completion, RawJson value)
    {
        if (revocation is not null)
        {
            _peers?.Release(revocation, completion, value);
        }
    }
}
