using System.Buffers;
using System.IO.Pipelines;

namespace CacheNode.Protocol;

/// <summary>Receives one complete line (without its newline); the span is only valid during the call.</summary>
internal delegate void LineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// Splits a stream into newline-delimited lines with System.IO.Pipelines: no per-line string, no copy
/// unless a line straddles two buffer segments. Lines longer than the limit are skipped whole.
/// </summary>
internal sealed class LineReader
{
    private readonly PipeReader _reader;
    private readonly int _maxLineBytes;

    public LineReader(Stream input, int maxLineBytes)
    {
        _reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Reads until end of input (or cancellation), calling <paramref name="onLine"/> for each line.</summary>
    /// <param name="onOversized">Called with the byte count of each line skipped for exceeding the limit.</param>
    /// <param name="onChunkDone">Awaited after each chunk of input is dispatched, before waiting for more.</param>
    public async Task RunAsync(LineHandler onLine, Action<long> onOversized, Func<ValueTask>? onChunkDone, CancellationToken cancellationToken)
    {
        // While skipping an oversized line we discard bytes until its newline.
        long skipping = -1;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                skipping = Consume(ref buffer, onLine, onOversized, skipping);
                if (onChunkDone is not null && !result.IsCompleted)
                {
                    await onChunkDone();
                }

                if (result.IsCompleted)
                {
                    if (skipping >= 0)
                    {
                        onOversized(skipping + buffer.Length);
                    }
                    else if (!buffer.IsEmpty)
                    {
                        // The last line had no newline: still a line.
                        Dispatch(buffer, onLine);
                    }

                    _reader.AdvanceTo(buffer.End);
                    if (onChunkDone is not null)
                    {
                        await onChunkDone();
                    }

                    return;
                }

                // Ask for more data: everything up to buffer.End was examined.
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await _reader.CompleteAsync();
        }
    }

    private long Consume(ref ReadOnlySequence<byte> buffer, LineHandler onLine, Action<long> onOversized, long skipping)
    {
        while (true)
        {
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                if (skipping >= 0)
                {
                    skipping += buffer.Length;
                    buffer = buffer.Slice(buffer.End);
                }
                else if (buffer.Length > _maxLineBytes)
                {
                    skipping = buffer.Length;
                    buffer = buffer.Slice(buffer.End);
                }

                return skipping;
            }

            var line = buffer.Slice(0, newline.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
            if (skipping >= 0)
            {
                onOversized(skipping + line.Length);
                skipping = -1;
            }
            else if (line.Length > _maxLineBytes)
            {
                onOversized(line.Length);
            }
            else
            {
                Dispatch(line, onLine);
            }
        }
    }

    private static void Dispatch(ReadOnlySequence<byte> line, LineHandler onLine)
    {
        if (line.IsSingleSegment)
        {
            onLine(TrimCarriageReturn(line.FirstSpan));
            return;
        }

        var length = (int)line.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            onLine(TrimCarriageReturn(rented.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Hand-typed input from Windows terminals ends lines with \r\n.
    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
