using CacheNode.Cluster;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Strategies;

/// <summary>
/// A cluster where each key has one home node (the first in its rendezvous ranking) that runs every
/// write, cas and invalidate of the key, so writes of a key are ordered in one place. Under write-behind
/// reads and flushes go there too: the home's cache and dirty buffer are the only copies. Under
/// write-through and cache-aside reads stay local and fill from the home. Other nodes pass requests on in
/// the client API's own format (the home answers as lin-kv would). An unreachable home makes a read fail
/// definitely (error 11) and a write or cas indefinitely (error 0): it may have arrived.
/// </summary>
internal sealed class HomeForwardingStrategy : ICacheStrategy
{
    private readonly ClusterMembership _membership;
    private readonly KeyOwnership _ownership;
    private readonly Dictionary<string, MaelstromKvDatabase> _owners;
    private readonly NodeStats _stats;
    private readonly TimeSpan _flushTimeout;
    private readonly ForwardedOperations _forwarded;

    /// <param name="flushTimeout">How long a peer's share of a <c>flush</c> may take: longer than a forwarded request, since a peer may first have to wait out a fence or take custody back.</param>
    /// <param name="alsoAnsweredBy">
    /// For a home, the other node whose reply to a forwarded request counts as the home's (write-behind: the
    /// home's backup acks a forwarded write once it holds the copy, a hop before the home could); null: none.
    /// </param>
    public HomeForwardingStrategy(
        ICacheStrategy local,
        ClusterMembership membership,
        ForwardedOperations forwarded,
        RpcClient rpc,
        TimeSpan timeout,
        TimeSpan flushTimeout,
        NodeStats stats,
        Log log,
        Func<string, string?>? alsoAnsweredBy = null)
    {
        _flushTimeout = flushTimeout;
        _forwarded = forwarded;
        Local = local;
        _membership = membership;
        _ownership = new KeyOwnership(membership.NodeIds);
        _stats = stats;
        // One attempt: a forwarded read that times out is answered with error 11 while the client still waits.
        _owners = membership.Peers.ToDictionary(
            peer => peer,
            peer => new MaelstromKvDatabase(peer, rpc, timeout, readAttempts: 1, log, alsoAnsweredBy?.Invoke(peer)),
            StringComparer.Ordinal);
    }

    /// <summary>The strategy for keys this node is home to.</summary>
    public ICacheStrategy Local { get; }

    public string Name => Local.Name;

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default) =>
        _forwarded == ForwardedOperations.All && OwnerOf(key) is { } owner ? owner.ReadAsync(key, cancellationToken) : Local.ReadAsync(key, cancellationToken);

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default) =>
        OwnerOf(key) is { } owner ? owner.WriteAsync(key, value, cancellationToken) : Local.WriteAsync(key, value, cancellationToken);

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default) =>
        OwnerOf(key) is { } owner
            ? owner.CasAsync(key, from, to, createIfNotExists, cancellationToken)
            : Local.CasAsync(key, from, to, createIfNotExists, cancellationToken);

    public async ValueTask InvalidateAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        if (OwnerOf(key) is { } owner)
        {
            await owner.SendAsync(new InvalidateRequest { Key = key }, cancellationToken);
            return;
        }

        await Local.InvalidateAsync(key, cancellationToken);
    }

    /// <summary>Under write-behind this node's acked writes may sit on any home: every node flushes.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_forwarded != ForwardedOperations.All)
        {
            await Local.FlushAsync(cancellationToken);
            return;
        }

        var flushes = _owners.Values.Select(owner => owner.SendAsync(new FlushRequest(), _flushTimeout, cancellationToken).AsTask()).ToList();
        flushes.Add(Local.FlushAsync(cancellationToken).AsTask());
        await Task.WhenAll(flushes);
    }

    public ValueTask<int> DrainAsync(TimeSpan budget, CancellationToken cancellationToken = default) => Local.DrainAsync(budget, cancellationToken);

    public ValueTask DisposeAsync() => Local.DisposeAsync();

    private MaelstromKvDatabase? OwnerOf(RawJson key)
    {
        var owner = _ownership.OwnerOf(key);
        if (owner == _membership.NodeId)
        {
            return null;
        }

        _stats.ForwardedRequest();
        return _owners[owner];
    }
}

/// <summary>What a <see cref="HomeForwardingStrategy"/> sends to a key's home.</summary>
internal enum ForwardedOperations
{
    /// <summary>Write, cas and invalidate (write-through, cache-aside: reads fill from the home).</summary>
    Writes,

    /// <summary>Everything, flush included (write-behind: the home's copy is the only one).</summary>
    All,
}
