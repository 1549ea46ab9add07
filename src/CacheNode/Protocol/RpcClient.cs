using System.Collections.Concurrent;
using CacheNode.Protocol.Messages;

namespace CacheNode.Protocol;

/// <summary>
/// The node's own requests to services and peers: each request's <c>msg_id</c> maps to a pending
/// completion, registered before the message can reach the wire and removed whatever the outcome,
/// so a timed-out or cancelled call leaks nothing and the read loop never waits on a reply.
/// </summary>
internal sealed class RpcClient
{
    private readonly MessageWriter _writer;
    private readonly Func<string> _self;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, Pending> _pending = new();

    public RpcClient(MessageWriter writer, Func<string> self, TimeProvider time)
    {
        _writer = writer;
        _self = self;
        _time = time;
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="dest"/> and waits for its reply.</summary>
    /// <param name="alsoFrom">
    /// A second node whose reply is taken as the answer (write-behind: the owner's backup answers a forwarded
    /// write once it holds the copy); null: only <paramref name="dest"/>'s.
    /// </param>
    /// <exception cref="RpcTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    public async Task<RpcReply> CallAsync(string dest, OutgoingBody body, TimeSpan timeout, CancellationToken cancellationToken = default, string? alsoFrom = null)
    {
        var completion = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var msgId = _writer.Send(_self(), dest, body, inReplyTo: null, beforeQueue: id => _pending[id] = new Pending(dest, alsoFrom, body.Type + "_ok", completion));
        try
        {
            return await completion.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new RpcTimeoutException(dest, body.Type, timeout);
        }
        finally
        {
            _pending.TryRemove(msgId, out _);
        }
    }

    /// <summary>
    /// Completes the waiter for <paramref name="inReplyTo"/>; false for late or unknown replies, for a
    /// reply from anyone but the node the request went to or the one named to answer for it (a client
    /// cannot answer for lin-kv), and for a reply of the wrong type (a late reply to an earlier run's
    /// request that happens to share the id). The first reply wins; later ones are ignored.
    /// </summary>
    public bool TryComplete(long inReplyTo, RpcReply reply) =>
        _pending.TryGetValue(inReplyTo, out var pending)
        && (pending.Dest == reply.Src || (pending.AlsoFrom is not null && pending.AlsoFrom == reply.Src))
        && (reply.IsError || reply.Type == pending.ReplyType)
        && _pending.TryRemove(inReplyTo, out _)
        && pending.Completion.TrySetResult(reply);

    private sealed record Pending(string Dest, string? AlsoFrom, string ReplyType, TaskCompletionSource<RpcReply> Completion);
}
