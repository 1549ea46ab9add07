using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using CacheNode.Configuration;
using CacheNode.Diagnostics;
using CacheNode.Hosting;

// The only place that touches the console: everything else runs over streams.
if (args is ["--version"])
{
    var version = typeof(Node).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    await Console.Out.WriteLineAsync($"cachenode {version}");
    return 0;
}

NodeOptions? options;
try
{
    options = OptionsParser.Parse(args, Environment.GetEnvironmentVariable);
}
catch (OptionsException ex)
{
    await Console.Error.WriteLineAsync($"cachenode: {ex.Message}");
    return 2;
}

if (options is null)
{
    await Console.Out.WriteAsync(OptionsParser.Usage());
    return 0;
}

var log = new Log(Console.Error, options.LogLevel);
foreach (var warning in OptionsParser.UnknownVariables(Environment.GetEnvironmentVariables().Keys.Cast<string>()))
{
    log.Warn(warning);
}

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

await using var input = Console.OpenStandardInput();
// A FileStream on fd 1 rather than the console stream: the console stream ignores EPIPE, so a node
// whose reader had gone would go on answering nobody.
await using var output = OperatingSystem.IsWindows()
    ? Console.OpenStandardOutput()
    : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
var node = new Node(options, input, output, log, TimeProvider.System);
return await node.RunAsync(stop.Token);

void Stop(PosixSignalContext context)
{
    // Keep the process alive: the node drains write-behind and exits 0 by itself.
    context.Cancel = true;
    log.Info($"received {context.Signal}: shutting down");
    stop.Cancel();
}
