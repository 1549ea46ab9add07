using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CacheNode.Bench.Workloads;

namespace CacheNode.Bench.Running;

/// <summary>
/// Measures how long a node takes from spawn to answering <c>init</c>: Maelstrom starts every node this way
/// and waits for that reply, so it is the start-up cost a test actually pays.
/// </summary>
internal static class StartupProbe
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    // After init_ok a node may still be finishing its start (a JIT, a background thread): RSS is read once it settles.
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(200);

    public static async Task<StartupSample> MeasureAsync(ChildCommand command)
    {
        var clock = Stopwatch.StartNew();
        using var process = ChildProcess.Start(command);
        try
        {
            using var watchdog = new IdleWatchdog(process, IdleLimit);
            var stderr = StderrTail.Start(process.StandardError.BaseStream);
            var sent = await TrySendInitAsync(process.StandardInput.BaseStream);

            var stdout = process.StandardOutput.BaseStream;
            var firstLine = await ReadLineAsync(stdout);
            var toInitOk = clock.Elapsed;

            watchdog.Touch();
            long? idleRss = null;
            if (firstLine is not null)
            {
                await Task.Delay(SettleTime);
                idleRss = ProcStatus.RssBytes(process.Id);
            }

            ChildProcess.CloseInput(process);
            await stdout.CopyToAsync(Stream.Null);
            await process.WaitForExitAsync();
            await stderr.Completion;

            string? problem = null;
            if (firstLine is null || !firstLine.Contains("\"init_ok\"", StringComparison.Ordinal))
            {
                var got = firstLine ?? (sent ? "no output" : "no output (it closed its stdin before reading init)");
                problem = $"expected init_ok, got {got}; stderr: {stderr.Text()}";
            }
            else if (process.ExitCode != 0)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"exit code {process.ExitCode}; stderr: {stderr.Text()}");
            }

            return new StartupSample(toInitOk, idleRss, problem);
        }
        finally
        {
            ChildProcess.Kill(process);
        }
    }

    /// <summary>Writes the <c>init</c> line; false if the child had already closed its stdin (its output tells why).</summary>
    private static async Task<bool> TrySendInitAsync(Stream stdin)
    {
        try
        {
            await stdin.WriteAsync(RequestFileWriter.InitLine);
            await stdin.FlushAsync();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads up to the first newline; null if the output ends before one.</summary>
    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var line = new ArrayBufferWriter<byte>();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                line.Write(buffer.AsSpan(0, newline));
                return Encoding.UTF8.GetString(line.WrittenSpan);
            }

            line.Write(buffer.AsSpan(0, read));
        }

        return null;
    }
}
