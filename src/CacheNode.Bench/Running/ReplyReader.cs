using System.Diagnostics;

namespace CacheNode.Bench.Running;

/// <summary>
/// Reads a child's stdout to its end in large chunks, feeding a <see cref="ReplyScanner"/>, and signals the
/// moment the expected number of lines has arrived, while the child is still running.
/// </summary>
internal sealed class ReplyReader(Stream stdout, long expectedLines, IdleWatchdog watchdog, Stopwatch clock)
{
    private const int ChunkBytes = 256 * 1024;

    private readonly TaskCompletionSource _allReplies = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReplyScanner Scanner { get; } = new();

    /// <summary>Completes when <c>expectedLines</c> lines have been read; never, if the output ends short.</summary>
    public Task AllReplies => _allReplies.Task;

    /// <summary>Clock reading when the first line (a node's <c>init_ok</c>) arrived: the end of start-up.</summary>
    public TimeSpan? FirstReplyAt { get; private set; }

    /// <summary>Clock reading when the last expected line arrived.</summary>
    public TimeSpan? AllRepliesAt { get; private set; }

    /// <summary>Reads to end of output on a dedicated thread.</summary>
    public Task Start() => BlockingWork.Run(ReadToEnd);

    private void ReadToEnd()
    {
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = stdout.Read(buffer)) > 0)
        {
            watchdog.Touch();
            FirstReplyAt ??= clock.Elapsed;
            Scanner.Feed(buffer.AsSpan(0, read));
            if (AllRepliesAt is null && Scanner.Lines >= expectedLines)
            {
                AllRepliesAt = clock.Elapsed;
                _allReplies.TrySetResult();
            }
        }

        Scanner.Complete();
    }
}
