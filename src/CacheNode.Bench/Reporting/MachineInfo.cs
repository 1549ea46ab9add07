using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CacheNode.Bench.Reporting;

/// <summary>Where and when the figures were taken: ratios travel between machines, absolute numbers do not.</summary>
internal sealed record MachineInfo(string Processors, string DotnetSdk, string Cpu, string Os, DateTimeOffset Taken)
{
    public static MachineInfo Collect() => new(
        CommandOutput("nproc") ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CommandOutput("dotnet", "--version") ?? "unknown",
        CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.OSDescription,
        DateTimeOffset.UtcNow);

    private static string? CommandOutput(string fileName, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return null;
        }
    }

    private static string? CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
