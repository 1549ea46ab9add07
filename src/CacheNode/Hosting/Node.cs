using System.Text;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Handlers;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;
using CacheNode.Runtime;
using CacheNode.Threading;

namespace CacheNode.Hosting;

/// <summary>
/// A CacheNode over a pair of streams: reads messages, dispatches them to handlers without ever blocking
/// the read loop on a database or peer, writes replies, and shuts down cleanly at end of input or on a
/// stop signal. Only Program.cs knows the streams are the console.
/// </summary>
internal sealed class Node
{
    private const int LogPreviewChars = 80;

    private readonly NodeContext _context;
    private readonly HandlerRegistry _handlers;
    private readonly LineReader _lines;
    private readonly InFlightRequests _inFlight = new();
    private readonly EnvelopeParser _parser = new();
    private readonly CancellationTokenSource _lifetime = new();
    private volatile bool _stopping;
    // Touched only by the read loop.
    private bool _inBatch;
    private long _lineNumber;

    public Node(NodeOptions options, Stream input, Stream output, Log log, TimeProvider time)
    {
        Writer = new MessageWriter(output);
        _context = new NodeContext(options, new NodeServices(time, new NodeStats(), log), Writer, _lifetime.Token);
        _lines = new LineReader(input, options.MaxMessageBytes);
        _handlers = new HandlerRegistry()
            .Add(new InitHandler(_context))
            .Add(new ReadHandler(_context))
            .Add(new WriteHandler(_context))
            .Add(new CasHandler(_context))
            .Add(new InvalidateHandler(_context))
            .Add(new FlushHandler(_context))
            .Add(new StatsHandler(_context))
            .Add(new EchoHandler())
            .Add(new FillHandler(_context))
            .Add(new RenewHandler(_context))
            .Add(new RevokeHandler(_context))
            .Add(new BackupHandler(_context))
            .Add(new RecoverHandler(_context));
    }

    public MessageWriter Writer { get; }

    internal NodeContext Context => _context;

    /// <summary>
    /// Serves until end of input, <paramref name="stop"/>, or the loss of the output, then drains and
    /// returns the exit code: 0, 1 if acked writes could not be written, 3 if the output was lost.
    /// Everything after the end of serving, the final flush of the output included, fits in
    /// <c>drain_timeout_ms</c>, whoever reads the output and however fast.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stop = default)
    {
        var log = _context.Log;
        var options = _context.Options;
        using var readCancellation = new CancellationTokenSource();
        // Its own thread: input may be read by blocking calls (BlockingReadStream), which must hold up
        // neither this method nor the thread pool.
        var reading = Task.Factory.StartNew(
            () => _lines.RunAsync(OnLine, OnOversizedLine, OnChunkDoneAsync, readCancellation.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stop.Register(() => stopRequested.TrySetResult()))
        {
            var first = await Task.WhenAny(reading, stopRequested.Task, Writer.OutputLost);
            if (first == reading && reading.IsFaulted)
            {
                log.Error($"reading input failed: {reading.Exception?.GetBaseException().Message}");
            }
        }

        // From here on new requests get error 11 (or nothing, once the output is full).
        _stopping = true;
        var deadline = _context.Time.Now() + _context.Time.SpanRoundedDown(TimeSpan.FromMilliseconds(options.DrainTimeoutMs));
        var outputLost = Writer.OutputLost.IsCompleted;
        if (outputLost)
        {
            log.Error($"stdout is closed ({await Writer.OutputLost}): no reply can reach anyone; stopping");
        }

        if (outputLost || (!reading.IsCompleted && !ExpectsRepliesOnInput()))
        {
            // Nothing more to read for: stop now, so that input arriving meanwhile costs nothing.
            await readCancellation.CancelAsync();
        }

        log.Debug(stop.IsCancellationRequested ? "stop requested: draining" : "end of input: draining");
        var unfinished = await _inFlight.WaitIdleAsync(Remaining(deadline), _context.Time);
        if (unfinished > 0)
        {
            log.Warn($"shutting down with {unfinished} requests still running");
        }

        var exitCode = outputLost ? 3 : 0;
        if (_context.Runtime is { } runtime)
        {
            var lost = await runtime.Strategy.DrainAsync(Remaining(deadline), CancellationToken.None);
            if (lost > 0)
            {
                log.Error($"{lost} acknowledged writes could not be written to {runtime.Database.Name} before exit");
                exitCode = 1;
            }

            await runtime.DisposeAsync();
        }

        log.Debug("drained; stopping the reader and flushing output");
        await _lifetime.CancelAsync();
        await readCancellation.CancelAsync();
        try
        {
            // A console read blocked in the kernel ignores cancellation while stdin stays open (after
            // SIGTERM): give the reader a moment, then leave it to die with the process.
            await reading.WaitAsync(TimeSpan.FromMilliseconds(200), _context.Time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            log.Debug("input still open; not waiting for it");
        }
        catch (OperationCanceledException)
        {
            // We stopped reading on purpose.
        }
        catch (Exception ex)
        {
            log.Debug($"input reader ended with {ex.GetBaseException().Message}");
        }

        // At least a moment for the last replies, even when the drain used up the budget.
        var flushBudget = TimeSpan.FromTicks(Math.Max(Remaining(deadline).Ticks, TimeSpan.FromMilliseconds(100).Ticks));
        if (!await Writer.CompleteAsync(flushBudget) && !outputLost)
        {
            log.Warn($"stdout was not read within drain_timeout_ms ({options.DrainTimeoutMs} ms): exiting with replies undelivered");
        }

        _lifetime.Dispose();
        return exitCode;
    }

    // The database or the peers answer through this node's input (lin-kv, seq-kv, a cluster): draining
    // write-behind needs it read to the end.
    private bool ExpectsRepliesOnInput() =>
        _context.Runtime is { } runtime && (runtime.NodeIds.Count > 1 || runtime.Database.Name != LocalDatabase.DatabaseName);

    private TimeSpan Remaining(Timestamp deadline)
    {
        var left = _context.Time.TimeUntil(deadline);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        _lineNumber++;
        if (!_inBatch)
        {
            // Replies to this chunk of input leave in one write when the chunk is done.
            Writer.BeginBatch();
            _inBatch = true;
        }

        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        var parsed = _parser.Parse(line, out var header, out var bodyRange, out var error);
        switch (parsed)
        {
            case EnvelopeParseResult.NotJson or EnvelopeParseResult.NoType or EnvelopeParseResult.NoRoute:
                _context.Log.Warn($"line {_lineNumber}: dropped, {error}: {Preview(line)}");
                return;
            case EnvelopeParseResult.BadHeader:
                Reply(header!, Error(ErrorCode.MalformedRequest, error!), hasMsgId: false);
                return;
            case EnvelopeParseResult.BadBody when header!.InReplyTo is not null:
                _context.Log.Warn($"dropped a {header.Type} from {header.Src} ({error}): replies are never answered");
                return;
            case EnvelopeParseResult.BadBody:
                Reply(header, Error(ErrorCode.MalformedRequest, error!));
                return;
        }

        Dispatch(header!, line[bodyRange]);
    }

    private void Dispatch(MessageHeader header, ReadOnlySpan<byte> body)
    {
        if (header.InReplyTo is { } replyTo)
        {
            if (!_context.Rpc.TryComplete(replyTo, new RpcReply(header.Src, header.Type, body.ToArray())))
            {
                // Usually a reply that came after its request gave up, or the second of two replies a forwarded
                // write-behind write gets (its owner's and its backup's; every such write has one): debug. But a
                // client's request that carries in_reply_to lands here too, and must not vanish without a word.
                var level = _context.Runtime?.Membership.IsPeer(header.Src) == true ? LogLevel.Debug : LogLevel.Info;
                if (_context.Log.IsEnabled(level))
                {
                    _context.Log.Write(level, $"dropped a {header.Type} from {header.Src} in reply to msg {replyTo}: no request of this node is waiting for it (it gave up, was answered already, or was never sent to {header.Src})");
                }
            }

            return;
        }

        var runtime = _context.Runtime;
        if (runtime is not null && header.Dest != runtime.NodeId)
        {
            _context.Log.Warn($"dropped a {header.Type} from {header.Src} addressed to {header.Dest}, not to {runtime.NodeId}");
            return;
        }

        if (!_handlers.TryGet(header.Type, out var handler))
        {
            Reply(header, Error(ErrorCode.NotSupported, $"unsupported message type '{header.Type}'"));
            return;
        }

        if (handler.RequiresInit && runtime is null)
        {
            Reply(header, Error(ErrorCode.TemporarilyUnavailable, NodeErrorException.NotInitializedText));
            return;
        }

        if (_stopping && !handler.ServedWhileStopping)
        {
            // Once the output is full, a request that arrives while stopping gets no answer at all: the
            // shutdown must not wait for whoever reads the output to read refusals.
            if (Writer.HasRoom)
            {
                Reply(header, Error(ErrorCode.TemporarilyUnavailable, "node is shutting down"));
            }

            return;
        }

        ValueTask<OutgoingBody> pending;
        try
        {
            pending = handler.StartAsync(header, body, _lifetime.Token);
        }
        catch (Exception ex)
        {
            Reply(header, ErrorFor(header, ex));
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            // Completed without awaiting (cache hits, the local database): reply in input order.
            Reply(header, pending.Result);
            handler.OnReplied();
            return;
        }

        _inFlight.Begin();
        _ = CompleteAsync(header, pending, handler);
    }

    private async Task CompleteAsync(MessageHeader header, ValueTask<OutgoingBody> pending, IMessageHandler handler)
    {
        var deadlineError = handler.DeadlineError;
        try
        {
            OutgoingBody reply;
            try
            {
                reply = deadlineError is { } code && _context.Options.RequestTimeoutMs > 0
                    ? await WithDeadlineAsync(pending.AsTask(), code)
                    : await pending;
            }
            catch (Exception ex)
            {
                reply = ErrorFor(header, ex);
            }

            Reply(header, reply);
            handler.OnReplied();
        }
        finally
        {
            _inFlight.End();
        }
    }

    // The client's own timeout is near (Maelstrom's is a second or more): answer before it gives up,
    // and let the operation finish in the background.
    private async Task<OutgoingBody> WithDeadlineAsync(Task<OutgoingBody> operation, ErrorCode code)
    {
        var limit = TimeSpan.FromMilliseconds(_context.Options.RequestTimeoutMs);
        try
        {
            return await operation.WaitAsync(limit, _context.Time);
        }
        catch (TimeoutException)
        {
            // Whatever it ends with later, nobody is waiting for it any more.
            _ = operation.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new NodeErrorException(code, code == ErrorCode.Timeout
                ? $"not done within {limit.TotalMilliseconds:0} ms (request_timeout_ms); it may still happen"
                : $"not done within {limit.TotalMilliseconds:0} ms (request_timeout_ms)");
        }
    }

    private ErrorBody ErrorFor(MessageHeader header, Exception ex)
    {
        switch (ex)
        {
            case NodeErrorException nodeError:
                // Crash-class errors are worth a warning, with the detail the reply text leaves out.
                var detail = nodeError.InnerException is { } inner ? $" ({inner.Message})" : string.Empty;
                _context.Log.Write(
                    nodeError.Code == ErrorCode.Crash ? LogLevel.Warn : LogLevel.Debug,
                    $"{header.Type} from {header.Src} failed with {(int)nodeError.Code}: {nodeError.Message}{detail}");
                return Error(nodeError.Code, nodeError.Message);
            case OperationCanceledException when _lifetime.IsCancellationRequested:
                // Cancelled by shutdown: it may have happened (indefinite).
                return Error(ErrorCode.Crash, "node shut down before the operation finished");
            default:
                _context.Log.Error($"{header.Type} from {header.Src} crashed: {ex}");
                return Error(ErrorCode.Crash, $"internal error: {ex.GetType().Name}");
        }
    }

    private void Reply(MessageHeader header, OutgoingBody body, bool hasMsgId = true)
    {
        if (body is NoReply)
        {
            return;
        }

        var src = _context.Runtime?.NodeId ?? header.Dest;
        Writer.Send(src, header.Src, body, hasMsgId ? header.MsgId : null);
    }

    private ValueTask OnChunkDoneAsync()
    {
        if (_inBatch)
        {
            _inBatch = false;
            Writer.EndBatch();
        }

        // Backpressure: if whoever reads our output falls behind, stop reading input until it catches up.
        // Not while stopping: replies to this node's own requests must still get through.
        return _stopping ? ValueTask.CompletedTask : Writer.WaitForRoomAsync(_lifetime.Token);
    }

    private void OnOversizedLine(long length) =>
        _context.Log.Warn($"line {++_lineNumber}: skipped, {length} bytes: the limit is {_context.Options.MaxMessageBytes} bytes (CACHENODE_MAX_MESSAGE_BYTES)");

    private static ErrorBody Error(ErrorCode code, string text) => new((int)code, text);

    private static string Preview(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, LogPreviewChars * 4)]);
        return text.Length <= LogPreviewChars ? text : text[..LogPreviewChars] + "…";
    }
}
