using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Nodes;

/// <summary>
/// One node: the user's binary as a child process in a process group of its own (Maelstrom's
/// process.clj, plus the runner-only faults). Its stdout lines are routed by the network, its stderr
/// goes to its own log file, and messages for it are written to its stdin. As in Maelstrom, the first
/// stdout line that cannot be routed (not JSON, not a message, an unknown src or dest) ends the
/// routing of that node's output: Maelstrom's stdout thread stops there.
/// </summary>
internal sealed class NodeHost : IEndpoint, IAsyncDisposable
{
    private const int DebugLines = 32;
    private static readonly string? Setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;

    private readonly string _bin;
    private readonly IReadOnlyList<string> _args;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Network _network;
    private readonly RunFailures _failures;
    private readonly TextWriter? _stderrEcho;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lastStdout = new();
    private readonly Queue<string> _lastStderr = new();
    private Process? _process;
    private Channel<string> _stdin = Channel.CreateUnbounded<string>();
    private Task _pumps = Task.CompletedTask;
    private bool _exitExpected;
    private bool _outputDead;
    private TaskCompletionSource<string> _outputStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Enough to know whether a node answered its init client before it printed something unroutable.
    private const int MaxRememberedDestinations = 64;
    private System.Collections.Concurrent.ConcurrentDictionary<string, byte> _routedTo = new(StringComparer.Ordinal);
    private int _generation;

    public NodeHost(string id, string bin, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, Network network,
        RunFailures failures, string logPath, TextWriter? stderrEcho = null)
    {
        Id = id;
        _bin = Path.GetFullPath(bin);
        _args = args;
        _environment = environment;
        _network = network;
        _failures = failures;
        _stderrEcho = stderrEcho;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Id { get; }

    public int? ProcessId => _process?.Id;

    /// <summary>The exit status of the current process once it has exited.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>Completes when the current process exits (whatever the reason).</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    /// <summary>Completes, with the reason, once the current process printed a line after which nothing it writes is routed.</summary>
    public Task<string> OutputStopped => _outputStopped.Task;

    /// <summary>Starts (or restarts) the process, in a new session so the whole group can be stopped and killed.</summary>
    /// <exception cref="NodeStartException">The binary is missing or cannot be executed.</exception>
    public void Start()
    {
        if (!File.Exists(_bin))
        {
            throw new NodeStartException($"cannot start {Id}: {_bin} does not exist");
        }

        var start = new ProcessStartInfo(Setsid ?? _bin)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Maelstrom runs nodes in java.io.tmpdir, so a node cannot rely on the caller's directory.
            WorkingDirectory = Path.GetTempPath(),
        };
        if (Setsid is not null)
        {
            start.ArgumentList.Add(_bin);
        }

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
            throw new NodeStartException($"cannot start {Id} ({_bin}): {ex.Message}");
        }

        lock (_gate)
        {
            _process = process;
            _exitExpected = false;
            _outputDead = false;
            _outputStopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _routedTo = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            _stdin = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
            _generation++;
        }

        LogLine($"--- {Id} started (pid {process.Id}, start #{_generation})");
        Exited = process.WaitForExitAsync();
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

    /// <summary>The node's exit has been reported already (it crashed before init_ok): teardown need not report it again.</summary>
    public void ExitReported()
    {
        lock (_gate)
        {
            _exitExpected = true;
        }
    }

    /// <summary>Stops the node's whole process group (SIGSTOP).</summary>
    public void Pause() => SignalGroup("STOP");

    /// <summary>Continues the node's whole process group (SIGCONT).</summary>
    public void Resume() => SignalGroup("CONT");

    /// <summary>
    /// A real crash: SIGKILL to the node's whole process group first, so it cannot see end of input and
    /// tidy up; only then are its pipes closed. A paused node is killed as it is, without being continued.
    /// </summary>
    public async Task KillAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _exitExpected = true;
        }

        if (process is { HasExited: false })
        {
            SignalGroup("KILL");
            await process.WaitForExitAsync();
        }

        lock (_gate)
        {
            _stdin.Writer.TryComplete();
        }

        LogLine($"--- {Id} killed by the nemesis");
    }

    /// <summary>
    /// Maelstrom's teardown (process.clj <c>stop-node!</c>): a node that already exited crashed, and the
    /// returned text says so with its last output; a live node is killed outright (no end of input).
    /// </summary>
    public async Task<string?> TearDownAsync()
    {
        Process? process;
        bool expected;
        lock (_gate)
        {
            process = _process;
            expected = _exitExpected;
            _exitExpected = true;
        }

        if (process is null)
        {
            return null;
        }

        if (process.HasExited)
        {
            await WaitForPumpsAsync();
            return expected ? null : CrashText(process.ExitCode);
        }

        SignalGroup("KILL");
        await process.WaitForExitAsync();
        lock (_gate)
        {
            _stdin.Writer.TryComplete();
        }

        await WaitForPumpsAsync();
        return null;
    }

    /// <summary>CacheNode's clean-exit check: closes stdin and waits for the exit (killing the group after <paramref name="grace"/>).</summary>
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

        SignalGroup("CONT");
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            LogLine($"--- {Id} did not exit within {grace.TotalSeconds:0} s of end of input; killed");
            SignalGroup("KILL");
            await process.WaitForExitAsync();
        }

        await WaitForPumpsAsync();
        return process.ExitCode;
    }

    /// <summary>Why the node crashed, Maelstrom-style: exit status and its last lines of stdout and stderr.</summary>
    public string CrashText(int exitCode)
    {
        lock (_lastStdout)
        {
            return $"Node {Id} crashed with exit status {exitCode}. Before crashing, it wrote to STDOUT:\n\n{string.Join('\n', _lastStdout)}\n\n"
                + $"And to STDERR:\n\n{string.Join('\n', _lastStderr)}\n\nFull STDERR logs are in node-logs/{Id}.log";
        }
    }

    /// <summary>The node's last stderr lines, for a crash whose cause is not an exit.</summary>
    public string StderrText()
    {
        lock (_lastStdout)
        {
            return $"Its last lines on STDERR:\n\n{string.Join('\n', _lastStderr)}\n\nFull STDERR logs are in node-logs/{Id}.log";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _exitExpected = true;
            SignalGroup("KILL");
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        await _log.DisposeAsync();
    }

    private async Task WaitForPumpsAsync()
    {
        try
        {
            await _pumps.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A grandchild still holds the pipes open: the node itself has exited, which is what counts.
            LogLine($"--- {Id}: output pipes still open 10 s after exit; not waiting for them");
        }
    }

    // The node runs in a session of its own (setsid), so its pid is its process group id: the signal
    // reaches every process it started. Without setsid only the process itself is signalled.
    private void SignalGroup(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            var target = Setsid is null ? process.Id.ToString(CultureInfo.InvariantCulture) : "-" + process.Id.ToString(CultureInfo.InvariantCulture);
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", target]) { RedirectStandardError = true, UseShellExecute = false });
            kill?.WaitForExit();
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
            Remember(_lastStdout, line);
            if (_outputDead)
            {
                continue;
            }

            if (Unroutable(line, out var message) is { } reason)
            {
                _outputDead = true;
                _outputStopped.TrySetResult($"{reason}: {LineText.Truncate(line)}");
                _failures.Warn($"{reason}: {LineText.Truncate(line)}. As in Maelstrom, whose stdout thread stops at such a line, nothing more {Id} writes is delivered.");
                LogLine($"--- {reason}; no further output of {Id} is routed");
                continue;
            }

            var fields = message.Fields;
            if (fields.Src != Id)
            {
                _failures.Warn($"{Id} sent a message claiming to be from {fields.Src} (delivered, as Maelstrom does): {LineText.Truncate(line)}");
            }

            _network.Route(message, line);
            if (_routedTo.Count < MaxRememberedDestinations)
            {
                _routedTo.TryAdd(fields.Dest, 0);
            }
        }
    }

    /// <summary>Whether the current process has had a message to <paramref name="dest"/> routed (of its first destinations).</summary>
    public bool HasRoutedTo(string dest) => _routedTo.ContainsKey(dest);

    private string? Unroutable(string line, out MaelstromMessage message)
    {
        if (!MaelstromJsonSpelling.TryParse(line, out var parsed, out var error))
        {
            message = null!;
            return $"{Id} printed a line to STDOUT which was not a well-formed Maelstrom message ({error})";
        }

        message = parsed;
        if (!_network.Knows(message.Fields.Src))
        {
            return $"{Id} sent a message with an invalid source {message.Fields.Src}";
        }

        return _network.Knows(message.Fields.Dest) ? null : $"{Id} sent a message to {message.Fields.Dest}, which is not in the network";
    }

    private async Task PumpStderrAsync(Process process)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            Remember(_lastStderr, line);
            LogLine(line);
            if (_stderrEcho is not null)
            {
                await _stderrEcho.WriteLineAsync($"{Id} stderr: {line}");
            }
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        LogLine($"--- {Id} exited with status {process.ExitCode}");
    }

    private void Remember(Queue<string> lines, string line)
    {
        lock (_lastStdout)
        {
            lines.Enqueue(line);
            if (lines.Count > DebugLines)
            {
                lines.Dequeue();
            }
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

/// <summary>A node process that could not be started at all: the run crashes before it begins.</summary>
internal sealed class NodeStartException(string message) : Exception(message);
