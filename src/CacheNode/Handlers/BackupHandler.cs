using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary><c>backup</c> (from a key's owner): holds its dirty copies, forgets flushed ones, and renews its custody.</summary>
internal sealed class BackupHandler(NodeContext context)
    : MessageHandler<BackupRequest>("backup", ProtocolJsonContext.Default.BackupRequest)
{
    // Custody and recovery must go on while this node drains: its peers' flushes (and its own) need them.
    public override bool ServedWhileStopping => true;

    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, BackupRequest request, CancellationToken cancellationToken)
    {
        var replication = PeerMessages.RequireReplication(context, header);
        return ValueTask.FromResult<OutgoingBody>(replication.Shelves.Apply(header.Src, request));
    }
}
