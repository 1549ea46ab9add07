using System.Globalization;

namespace CacheNode.Bench.Running;

/// <summary>Reads a live process's memory figures from Linux's <c>/proc/PID/status</c>.</summary>
internal static class ProcStatus
{
    /// <summary>
    /// The peak resident set (VmHWM) in bytes, or null where /proc is unavailable. The kernel keeps the
    /// high-water mark itself, so one read at the end of a run covers all of it without sampling.
    /// </summary>
    public static long? PeakRssBytes(int pid) => ReadKilobytes(pid, "VmHWM:");

    /// <summary>The resident set (VmRSS) now, in bytes, or null where /proc is unavailable.</summary>
    public static long? RssBytes(int pid) => ReadKilobytes(pid, "VmRSS:");

    private static long? ReadKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal))
                {
                    continue;
                }

                // "VmHWM:     51234 kB"
                var digits = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
            // Not Linux, or the process is gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return null;
    }
}
