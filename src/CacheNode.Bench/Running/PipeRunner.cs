using System.Diagnostics;
using CacheNode.Bench.Workloads;

namespace CacheNode.Bench.Running;

/// <summary>
/// Times one request file through one command, from spawning the process until it has exited, with every
/// output line read and checked on the way. The file reaches a node through a pipe the bench writes, or
/// (<see cref="ChildCommand.InputFile"/>) as its stdin by redirect, as <c>time cmd &lt; FILE</c> would run it.
/// </summary>
internal static class PipeRunner
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    /// <param name="samplePeakRss">Read the child's peak RSS after its last reply, before its stdin closes.</param>
    public static async Task<PipeRunResult> RunAsync(ChildCommand command, Workload workload, bool samplePeakRss = false)
    {
        // Loaded before the clock starts: the file system is not what we measure (cat reads a warm page cache).
        var pipesRequests = command.IsNode && command.InputFile is null;
        var requests = pipesRequests ? await File.ReadAllBytesAsync(workload.Path) : [];

        var clock = Stopwatch.StartNew();
        using var process = ChildProcess.Start(command);
        try
        {
            using var watchdog = new IdleWatchdog(process, IdleLimit);
            var stderr = StderrTail.Start(process.StandardError.BaseStream);
            var replies = new ReplyReader(process.StandardOutput.BaseStream, workload.Lines, watchdog, clock);
            var reading = replies.Start();
            var feeding = pipesRequests
                ? RequestFeeder.Start(process.StandardInput.BaseStream, requests)
                : Task.FromResult<string?>(null);

            // Wait for every reply (or for the output to end short), and only then close stdin: a node may
            // treat end of input as "shut down" and must not be told so while it still owes replies.
            await Task.WhenAny(replies.AllReplies, reading);
            var peakRss = samplePeakRss && replies.AllReplies.IsCompleted ? ProcStatus.PeakRssBytes(process.Id) : null;
            var feedError = await feeding;
            if (pipesRequests)
            {
                ChildProcess.CloseInput(process);
            }

            // Reading on to end of output also catches anything sent after the last expected reply.
            await reading;
            await process.WaitForExitAsync();
            var elapsed = clock.Elapsed;
            await stderr.Completion;

            var scanner = replies.Scanner;
            return new PipeRunResult(
                elapsed,
                replies.FirstReplyAt,
                replies.AllRepliesAt,
                workload.Lines,
                scanner.Lines,
                scanner.NonReplies,
                scanner.Errors,
                scanner.FirstBadLine,
                process.ExitCode,
                watchdog.Fired,
                feedError,
                peakRss,
                stderr.Text());
        }
        finally
        {
            ChildProcess.Kill(process);
        }
    }
}
