using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace CacheNode.IntegrationTests.Harness;

/// <summary>The real built CacheNode as a child process, driven line by line through stdin and stdout.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private NodeProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>Path of the CacheNode assembly built next to the tests (through the project reference).</summary>
    public static string NodeAssembly => Path.Combine(AppContext.BaseDirectory, "CacheNode.dll");

    public int ProcessId => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static NodeProcess Start(IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? args = null)
    {
        var process = Process.Start(StartInfo(environment, args)) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.AutoFlush = true;
        return new NodeProcess(process);
    }

    /// <summary>
    /// The node's process with nothing reading its stdout: the test decides whether (and how) it is read.
    /// Its stderr is collected into <paramref name="stderr"/>.
    /// </summary>
    public static Process StartUnread(IReadOnlyDictionary<string, string> environment, StringBuilder stderr)
    {
        var process = Process.Start(StartInfo(environment, args: null)) ?? throw new InvalidOperationException("could not start dotnet");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, IEnumerable<string>? args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(NodeAssembly);
        foreach (var arg in args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        // Settings from the test machine's environment must not leak into a scenario.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CACHENODE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
    }

    /// <summary>The next stdout line, or null at end of output; fails after <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _stdout.Reader.WaitToReadAsync(cancel.Token) && _stdout.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no output line within {timeout.TotalSeconds:0.#} s; stderr so far:\n{Stderr}");
        }
    }

    public void CloseInput() => _process.StandardInput.Close();

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for exit and returns the exit code, with every output line the node still wrote.</summary>
    public async Task<(int ExitCode, List<string> RemainingOutput)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node did not exit within {timeout.TotalSeconds:0} s; stderr:\n{Stderr}");
        }

        await Task.WhenAll(_stdoutPump, _stderrPump);
        var rest = new List<string>();
        while (_stdout.Reader.TryRead(out var line))
        {
            rest.Add(line);
        }

        return (_process.ExitCode, rest);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            await _stdout.Writer.WriteAsync(line);
        }

        _stdout.Writer.Complete();
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
