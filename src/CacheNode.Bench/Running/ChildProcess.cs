using System.ComponentModel;
using System.Diagnostics;

namespace CacheNode.Bench.Running;

/// <summary>Starting and stopping children without letting a child that already died turn into an exception.</summary>
internal static class ChildProcess
{
    public static Process Start(ChildCommand command) =>
        Process.Start(command.ToStartInfo()) ?? throw new InvalidOperationException($"could not start {command.FileName}");

    /// <summary>Closes the child's stdin, its signal to finish; a child that has exited already makes that a broken pipe.</summary>
    public static void CloseInput(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child is gone; its exit code and reply count tell the story.
        }
    }

    /// <summary>Kills the child and anything it started (a shell's child, for the peer).</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited between the check and the kill.
        }
    }
}
