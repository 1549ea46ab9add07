using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using CacheNode.Protocol.Messages;

namespace CacheNode.Protocol;

/// <summary>
/// The single owner of the node's output stream. Messages are serialized by the sender, under a lock
/// that also hands out <c>msg_id</c>s, so ids appear in counter order; a pump task writes them through a
/// buffer and flushes whenever it has nothing more queued, so a reply is never held back waiting for input.
/// </summary>
internal sealed class MessageWriter : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed escaping keeps non-ASCII text readable; values themselves are written verbatim anyway.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _output;
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly Task _pump;
    private long _nextMsgId;

    public MessageWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>How many messages the node has sent (the next <c>msg_id</c>).</summary>
    public long MessagesSent => Volatile.Read(ref _nextMsgId);

    /// <summary>
    /// Serializes and queues one message, stamping the next <c>msg_id</c>. <paramref name="beforeQueue"/>
    /// runs with that id before the message can reach the wire, so an RPC waiter is registered before its reply can arrive.
    /// </summary>
    public long Send(string src, string dest, OutgoingBody body, long? inReplyTo, Action<long>? beforeQueue = null)
    {
        lock (_gate)
        {
            var msgId = _nextMsgId++;
            body.InReplyTo = inReplyTo;
            body.MsgId = msgId;
            beforeQueue?.Invoke(msgId);

            _buffer.ResetWrittenCount();
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteString("src"u8, src);
            _json.WriteString("dest"u8, dest);
            _json.WritePropertyName("body"u8);
            JsonSerializer.Serialize(_json, body, ProtocolJsonContext.Default.GetTypeInfo(body.GetType())!);
            _json.WriteEndObject();
            _json.Flush();

            var length = _buffer.WrittenCount + 1;
            var bytes = ArrayPool<byte>.Shared.Rent(length);
            _buffer.WrittenSpan.CopyTo(bytes);
            bytes[length - 1] = (byte)'\n';
            if (!_frames.Writer.TryWrite(new Frame(bytes, length)))
            {
                // Only after Complete(): the node is shutting down and the message has nowhere to go.
                ArrayPool<byte>.Shared.Return(bytes);
            }

            return msgId;
        }
    }

    /// <summary>Stops accepting messages and waits until everything queued is written and flushed.</summary>
    public async ValueTask DisposeAsync()
    {
        _frames.Writer.TryComplete();
        await _pump;
        _json.Dispose();
    }

    private async Task PumpAsync()
    {
        var reader = _frames.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var frame))
            {
                try
                {
                    await _output.WriteAsync(frame.Bytes.AsMemory(0, frame.Length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame.Bytes);
                }
            }

            // Nothing more queued right now: push what we have to the reader.
            await _output.FlushAsync();
        }
    }

    private readonly record struct Frame(byte[] Bytes, int Length);
}
