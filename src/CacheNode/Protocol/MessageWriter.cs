using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheNode.Protocol.Messages;
using CacheNode.Threading;

namespace CacheNode.Protocol;

/// <summary>
/// The single owner of the node's output stream. Senders serialize into a pending buffer under a lock
/// that also hands out <c>msg_id</c>s, so ids appear in counter order. A pump swaps the buffer out and
/// writes and flushes it in one call. While the read loop works through a chunk of input it holds the
/// pump back (<see cref="BeginBatch"/>), so a burst of requests costs one write, not one per reply; the
/// batch ends before the loop waits for more input, so no reply ever waits for more input.
/// </summary>
internal sealed class MessageWriter : IAsyncDisposable
{
    /// <summary>Pending output above which the read loop stops taking input until the pump catches up.</summary>
    public const int HighWaterBytes = 4 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed escaping keeps non-ASCII text readable; values themselves are written verbatim anyway.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _output;
    private readonly Lock _gate = new();
    private readonly Utf8JsonWriter _json;
    private readonly EnvelopePrefixes _envelopes = new(WriterOptions);
    private readonly ArrayBufferWriter<byte> _body = new(256);
    private Type? _lastBodyType;
    private JsonTypeInfo? _lastBodyTypeInfo;
    private readonly AsyncSignal _wake = new();
    private readonly AsyncSignal _drained = new();
    private readonly Task _pump;
    private readonly TaskCompletionSource<string> _outputLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private long _nextMsgId;
    private int _batchDepth;
    private bool _completed;
    private bool _lost;

    public MessageWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_body, WriterOptions);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>
    /// Moves the <c>msg_id</c> counter on to <paramref name="first"/> (never back). A node in a cluster
    /// starts its ids where no earlier run of it can have reached, so a peer's late reply to a request of
    /// that run is never taken for the reply to a request of this one.
    /// </summary>
    public void ContinueIdsFrom(long first)
    {
        lock (_gate)
        {
            _nextMsgId = Math.Max(_nextMsgId, first);
        }
    }

    /// <summary>
    /// Serializes one message, stamping the next <c>msg_id</c>. <paramref name="beforeQueue"/> runs with that
    /// id before the message can reach the wire, so an RPC waiter is registered before its reply can arrive.
    /// </summary>
    public long Send(string src, string dest, OutgoingBody body, long? inReplyTo, Action<long>? beforeQueue = null)
    {
        lock (_gate)
        {
            if (_completed || _lost)
            {
                // After CompleteAsync, or once the output is gone: the message has nowhere to go.
                return -1;
            }

            var msgId = _nextMsgId++;
            beforeQueue?.Invoke(msgId);

            _pending.Write(_envelopes.Get(src, dest));
            WriteBody(body, inReplyTo, msgId);
            _pending.Write("}\n"u8);

            if (_batchDepth == 0)
            {
                _wake.Set();
            }

            return msgId;
        }
    }

    // The body's own fields, then in_reply_to and msg_id: the serializer writes the body object into a
    // scratch buffer, and everything but its closing brace is copied on.
    private void WriteBody(OutgoingBody body, long? inReplyTo, long msgId)
    {
        _body.ResetWrittenCount();
        _json.Reset(_body);
        JsonSerializer.Serialize(_json, body, TypeInfoOf(body));
        _json.Flush();
        _pending.Write(_body.WrittenSpan[..^1]);
        if (inReplyTo is { } replyTo)
        {
            _pending.Write(",\"in_reply_to\":"u8);
            WriteNumber(replyTo);
        }

        _pending.Write(",\"msg_id\":"u8);
        WriteNumber(msgId);
        _pending.Write("}"u8);
    }

    // The context's lookup by type is a dictionary search; replies mostly repeat the previous message's type.
    private JsonTypeInfo TypeInfoOf(OutgoingBody body)
    {
        var type = body.GetType();
        if (type != _lastBodyType)
        {
            _lastBodyTypeInfo = ProtocolJsonContext.Default.GetTypeInfo(type)
                ?? throw new InvalidOperationException($"{type.Name} is not in ProtocolJsonContext");
            _lastBodyType = type;
        }

        return _lastBodyTypeInfo!;
    }

    private void WriteNumber(long value)
    {
        var span = _pending.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _pending.Advance(written);
    }

    /// <summary>Holds output back while the read loop dispatches a chunk of input.</summary>
    public void BeginBatch()
    {
        lock (_gate)
        {
            _batchDepth++;
        }
    }

    /// <summary>Releases what the batch produced, in one write.</summary>
    public void EndBatch()
    {
        lock (_gate)
        {
            if (--_batchDepth == 0 && _pending.WrittenCount > 0)
            {
                _wake.Set();
            }
        }
    }

    /// <summary>Completes (with the reason) when the output can no longer be written: whoever read it has gone.</summary>
    public Task<string> OutputLost => _outputLost.Task;

    /// <summary>Whether at most <see cref="HighWaterBytes"/> are pending.</summary>
    public bool HasRoom => PendingBytes <= HighWaterBytes;

    /// <summary>Waits while more than <see cref="HighWaterBytes"/> are pending (a slow reader of our output).</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken = default)
    {
        while (!HasRoom && !_outputLost.Task.IsCompleted)
        {
            await _drained.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>
    /// Stops taking messages and writes everything sent so far, waiting at most <paramref name="timeout"/>
    /// for whoever reads the output.
    /// </summary>
    /// <returns>False if the output was not all written in time (or could not be written at all).</returns>
    public async ValueTask<bool> CompleteAsync(TimeSpan timeout)
    {
        lock (_gate)
        {
            _completed = true;
            _batchDepth = 0;
        }

        _wake.Set();
        try
        {
            await _pump.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // A reader that does not read: the rest is left to the process's end.
            return false;
        }

        await _json.DisposeAsync();
        _wake.Dispose();
        _drained.Dispose();
        return !_outputLost.Task.IsCompleted;
    }

    public async ValueTask DisposeAsync() => await CompleteAsync(Timeout.InfiniteTimeSpan);

    private int PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _pending.WrittenCount;
            }
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            await _wake.WaitAsync();
            bool completed;
            lock (_gate)
            {
                (_pending, _writing) = (_writing, _pending);
                completed = _completed;
            }

            if (_writing.WrittenCount > 0)
            {
                try
                {
                    await _output.WriteAsync(_writing.WrittenMemory);
                    await _output.FlushAsync();
                }
                catch (IOException ex)
                {
                    // A closed pipe (EPIPE): nothing written from now on can reach anyone.
                    lock (_gate)
                    {
                        _lost = true;
                        _pending.ResetWrittenCount();
                    }

                    _writing.ResetWrittenCount();
                    _outputLost.TrySetResult(ex.Message);
                    _drained.Set();
                    return;
                }

                _writing.ResetWrittenCount();
                _drained.Set();
            }

            if (completed)
            {
                return;
            }
        }
    }
}
