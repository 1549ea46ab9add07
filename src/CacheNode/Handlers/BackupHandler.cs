using CacheNode.Runtime;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Handlers;

/// <summary>
/// <c>backup</c> (from a key's owner): holds its dirty copies, forgets flushed ones, and renews its custody.
/// A write's own copy may name the forwarded request it belongs to: once the copy is held here, this node
/// acks that request for the owner (chain replication, the tail answering), a hop before the owner could.
/// </summary>
internal sealed class BackupHandler(NodeContext context)
    : MessageHandler<BackupRequest>("backup", ProtocolJsonContext.Default.BackupRequest)
{
    // Custody and recovery must go on while this node drains: its peers' flushes (and its own) need them.
    public override bool ServedWhileStopping => true;

    protected override ValueTask<OutgoingBody> HandleAsync(MessageHeader header, BackupRequest request, CancellationToken cancellationToken)
    {
        var replication = PeerMessages.RequireReplication(context, header);
        // Throws when refused: then nothing is held, and nothing is acked.
        var ok = replication.Shelves.Apply(header.Src, request);
        if (ok.Stored && request.Answer is { } answer)
        {
            Answer(answer);
        }

        return ValueTask.FromResult<OutgoingBody>(ok);
    }

    // The copy is held here, and the owner holds the value too (it never drops a write whose copy carried
    // an answer): the forwarding node may ack its client.
    private void Answer(ForwarderAnswer answer)
    {
        var runtime = context.RequireRuntime();
        OutgoingBody? body = answer.Type switch
        {
            "write_ok" => new WriteOk(),
            "cas_ok" => new CasOk(),
            _ => null,
        };
        if (body is null)
        {
            context.Log.Debug($"backup: ignoring an answer of type {answer.Type}");
            return;
        }

        if (answer.To == runtime.NodeId)
        {
            // This node forwarded the write itself: its own request completes here, with no message.
            context.Rpc.TryComplete(answer.InReplyTo, new RpcReply(runtime.NodeId, answer.Type, "{}"u8.ToArray()));
            return;
        }

        if (runtime.Membership.IsPeer(answer.To))
        {
            context.Writer.Send(runtime.NodeId, answer.To, body, answer.InReplyTo);
        }
    }
}
