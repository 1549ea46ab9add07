using System.Diagnostics;

namespace CacheNode.Bench.Running;

/// <summary>A program the bench spawns, with the name the report gives it.</summary>
internal sealed record ChildCommand(string Label, CommandRole Role, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables set for the child on top of the bench's own environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A file the child's stdin is redirected from (<c>cmd &lt; FILE</c>), or null for a pipe the bench writes.</summary>
    public string? InputFile { get; init; }

    /// <summary>How requests reach the command, as the report names it.</summary>
    public string Feed => InputFile is null ? "pipe" : "redirect";

    /// <summary>Nodes read requests on stdin and answer each line; <c>cat</c> reads its file argument instead.</summary>
    public bool IsNode => Role != CommandRole.PipeCeiling;

    /// <summary>The same command with its stdin redirected from <paramref name="path"/> by a shell that then execs it.</summary>
    public ChildCommand RedirectedFrom(string path) => IsNode
        ? this with { FileName = "/bin/sh", Arguments = ["-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", path, FileName, .. Arguments], InputFile = path }
        : this with { InputFile = path };

    public static ChildCommand Cat(string path) => new("cat", CommandRole.PipeCeiling, "cat", [path]);

    /// <param name="node">The built node: an assembly (run with <c>dotnet</c>) or a native executable (Native AOT).</param>
    public static ChildCommand CacheNode(string node, string strategy)
    {
        var command = node.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ChildCommand($"CacheNode {strategy}", CommandRole.CacheNode, "dotnet", [node])
            : new ChildCommand($"CacheNode {strategy}", CommandRole.CacheNode, node, []);
        return command with { Environment = new Dictionary<string, string> { ["CACHENODE_STRATEGY"] = strategy } };
    }

    // exec: the measured process (RSS included) is the peer itself, not a shell waiting for it.
    public static ChildCommand Peer(string command) => new($"peer `{command}`", CommandRole.Peer, "/bin/sh", ["-c", "exec " + command]);

    public ProcessStartInfo ToStartInfo()
    {
        // stdout is what we time and stderr is drained by the bench (StderrTail), so a chatty child can never
        // fill it and stall; stdin is a pipe the bench writes unless a shell redirects it from a file.
        var info = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = InputFile is null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
