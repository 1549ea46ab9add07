using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.WriteBehind;

/// <summary>The backup's half of write-behind replication: one <see cref="OwnerShelf"/> per peer that may own keys this node backs up.</summary>
internal sealed class BackupShelves : IAsyncDisposable
{
    private static readonly TimeSpan OrphanPoll = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<string, OwnerShelf> _shelves;
    private readonly TimeProvider _time;

    public BackupShelves(IEnumerable<string> peers, long incarnation, ShelfContext context)
    {
        Incarnation = incarnation;
        _time = context.Time;
        _shelves = peers.ToDictionary(peer => peer, peer => new OwnerShelf(peer, incarnation, context), StringComparer.Ordinal);
    }

    /// <summary>This run of the node, sent in every reply so owners notice a restart.</summary>
    public long Incarnation { get; }

    public int DirtyCount => _shelves.Values.Sum(shelf => shelf.DirtyCount);

    public BackupOk Apply(string owner, BackupRequest request)
    {
        var verdict = Shelf(owner).Apply(request.Incarnation, request.BackupIncarnation, request.Entries, request.Flushed);
        return verdict.Accepted
            ? new BackupOk { Incarnation = request.Incarnation, BackupIncarnation = Incarnation, Custody = verdict.Custody, Stored = verdict.Stored }
            : throw new NodeErrorException(verdict.Code, verdict.Reason ?? "refused");
    }

    public async Task<RecoverOk> RecoverAsync(string owner, RecoverRequest request, CancellationToken cancellationToken)
    {
        var recovered = await Shelf(owner).RecoverAsync(request.Incarnation, cancellationToken)
            ?? throw NodeErrorException.Unavailable($"{owner} has restarted since this recover was sent");
        return new RecoverOk
        {
            Incarnation = request.Incarnation,
            BackupIncarnation = Incarnation,
            Entries = recovered.Entries,
            Flushed = recovered.Flushed,
        };
    }

    public void Tick()
    {
        foreach (var shelf in _shelves.Values)
        {
            shelf.Tick();
        }
    }

    /// <summary>Returns once no owner's entries wait here to be flushed by this node.</summary>
    public async ValueTask WaitOrphansFlushedAsync(CancellationToken cancellationToken)
    {
        while (_shelves.Values.Any(shelf => shelf.HasOrphans))
        {
            await Task.Delay(OrphanPoll, _time, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var shelf in _shelves.Values)
        {
            await shelf.DisposeAsync();
        }
    }

    private OwnerShelf Shelf(string owner) => _shelves[owner];
}
