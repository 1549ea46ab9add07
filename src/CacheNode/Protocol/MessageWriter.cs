using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
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
    private readonly AsyncSignal _wake = new();
    private readonly AsyncSignal _drained = new();
    private readonly Task _pump;
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private long _nextMsgId;
    private int _batchDepth;
    private bool _completed;

    public MessageWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_pending, WriterOptions);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>
    /// Serializes one message, stamping the next <c>msg_id</c>. <paramref name="beforeQueue"/> runs with that
    /// id before the message can reach the wire, so an RPC waiter is registered before its reply can arrive.
    /// </summary>
    public long Send(string src, string dest, OutgoingBody body, long? inReplyTo, Action<long>? beforeQueue = null)
    {
        lock (_gate)
        {
            if (_completed)
            {
                // Only after DisposeAsync: the node is gone and the message has nowhere to go.
                return -1;
            }

            var msgId = _nextMsgId++;
            body.InReplyTo = inReplyTo;
            body.MsgId = msgId;
            beforeQueue?.Invoke(msgId);

            _json.Reset(_pending);
            _json.WriteStartObject();
            _json.WriteString("src"u8, src);
            _json.WriteString("dest"u8, dest);
            _json.WritePropertyName("body"u8);
            JsonSerializer.Serialize(_json, body, ProtocolJsonContext.Default.GetTypeInfo(body.GetType())!);
            _json.WriteEndObject();
            _json.Flush();
            _pending.Write("\n"u8);

            if (_batchDepth == 0)
            {
                _wake.Set();
            }

            return msgId;
        }
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

    /// <summary>Waits while more than <see cref="HighWaterBytes"/> are pending (a slow reader of our output).</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken = default)
    {
        while (PendingBytes > HighWaterBytes)
        {
            await _drained.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Writes everything sent so far and stops taking messages.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _completed = true;
            _batchDepth = 0;
        }

        _wake.Set();
        await _pump;
        _json.Dispose();
        _wake.Dispose();
        _drained.Dispose();
    }

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
                await _output.WriteAsync(_writing.WrittenMemory);
                await _output.FlushAsync();
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
