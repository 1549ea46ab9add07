using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Nodes;

/// <summary>
/// One node: the user's binary as a child process. Its stdout lines are routed by the network (a line
/// that is not a message fails the run), its stderr goes to its own log file, and messages for it are
/// written to its stdin. It can be paused, killed and started again, as the nemesis asks.
/// </summary>
internal sealed class NodeHost : IEndpoint, IAsyncDisposable
{
    private readonly string _bin;
    private readonly IReadOnlyList<string> _args;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Network _network;
    private readonly RunFailures _failures;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private Process? _process;
    private Channel<string> _stdin = Channel.CreateUnbounded<string>();
    private Task _pumps = Task.CompletedTask;
    private bool _exitExpected;
    private int _generation;

    public NodeHost(string id, string bin, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, Network network, RunFailures failures, string logPath)
    {
        Id = id;
        _bin = bin;
        _args = args;
        _environment = environment;
        _network = network;
        _failures = failures;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Id { get; }

    public int? ProcessId => _process?.Id;

    /// <summary>Starts (or restarts) the process.</summary>
    public void Start()
    {
        var start = new ProcessStartInfo(_bin)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"cannot start {_bin} for {Id}: {ex.Message}", ex);
        }

        lock (_gate)
        {
            _process = process;
            _exitExpected = false;
            _stdin = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
            _generation++;
        }

        LogLine($"--- {Id} started (pid {process.Id}, start #{_generation})");
        _pumps = Task.WhenAll(PumpStdinAsync(process, _stdin.Reader), PumpStdoutAsync(process), PumpStderrAsync(process), WatchExitAsync(process));
    }

    public void Deliver(string line)
    {
        Channel<string> stdin;
        lock (_gate)
        {
            stdin = _stdin;
        }

        // A killed node's mail is lost, as it would be on a real crash.
        stdin.Writer.TryWrite(line);
    }

    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>Kills the process (SIGKILL); its in-flight state is lost.</summary>
    public async Task KillAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _exitExpected = true;
            _stdin.Writer.TryComplete();
        }

        if (process is { HasExited: false })
        {
            // A paused process cannot die until it is continued.
            Signal("CONT");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        LogLine($"--- {Id} killed by the nemesis");
    }

    /// <summary>Closes stdin and waits for a clean exit (killing the process after <paramref name="grace"/>).</summary>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _exitExpected = true;
            _stdin.Writer.TryComplete();
        }

        if (process is null)
        {
            return null;
        }

        Signal("CONT");
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            LogLine($"--- {Id} did not exit within {grace.TotalSeconds:0} s of end of input; killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        try
        {
            await _pumps.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A grandchild still holds the pipes open: the node itself has exited, which is what counts.
            LogLine($"--- {Id}: output pipes still open 10 s after exit; not waiting for them");
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _exitExpected = true;
            Signal("CONT");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        await _log.DisposeAsync();
    }

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    private static async Task PumpStdinAsync(Process process, ChannelReader<string> lines)
    {
        try
        {
            await foreach (var line in lines.ReadAllAsync())
            {
                await process.StandardInput.WriteLineAsync(line);
                if (!lines.TryPeek(out _))
                {
                    await process.StandardInput.FlushAsync();
                }
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process died: nothing more can be written.
        }
    }

    private async Task PumpStdoutAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!Network.TryRoute(line, out var fields))
            {
                _failures.Add($"{Id} wrote a line that is not a Maelstrom message to stdout: {LineText.Truncate(line)}");
                continue;
            }

            if (fields.Src != Id)
            {
                _failures.Add($"{Id} sent a message claiming to be from {fields.Src}: {LineText.Truncate(line)}");
            }

            _network.Route(fields, line);
        }
    }

    private async Task PumpStderrAsync(Process process)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            LogLine(line);
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        bool expected;
        lock (_gate)
        {
            expected = _exitExpected || !ReferenceEquals(process, _process);
        }

        if (!expected)
        {
            _failures.Add($"{Id} exited unexpectedly with code {process.ExitCode}");
        }
    }

    private void LogLine(string line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

}
