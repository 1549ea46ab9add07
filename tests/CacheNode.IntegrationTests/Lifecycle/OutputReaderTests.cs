using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CacheNode.IntegrationTests.Harness;

namespace CacheNode.IntegrationTests.Lifecycle;

/// <summary>Whoever reads the node's output decides nothing about how long it lives.</summary>
public sealed class OutputReaderTests
{
    private const string Init = """{"src":"c1","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}""";

    // Far above drain_timeout_ms (500 ms here): the node either exits within its budget or hangs for good.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Closed_stdout_ends_the_node_with_a_clear_line_and_exit_code_3()
    {
        var stderr = new StringBuilder();
        using var node = NodeProcess.StartUnread(new Dictionary<string, string>(), stderr);
        node.StandardOutput.Close();

        // Requests keep coming; every reply hits a closed pipe.
        var feeding = FeedAsync(node, echoes: 100_000, new StrongBox<int>());

        (await ExitCodeAsync(node)).Should().Be(3, Text(stderr));
        Text(stderr).Should().Contain("stdout is closed");
        await feeding;
    }

    [Fact]
    public async Task Sigterm_ends_the_node_within_drain_timeout_even_if_nobody_reads_its_output()
    {
        var stderr = new StringBuilder();
        using var node = NodeProcess.StartUnread(new Dictionary<string, string> { ["CACHENODE_DRAIN_TIMEOUT_MS"] = "500" }, stderr);
        // Enough replies to fill the pipe and the node's own output buffer: from then on it is blocked
        // writing, and stops reading input too.
        var written = new StrongBox<int>();
        var feeding = FeedAsync(node, echoes: 200_000, written);
        // SIGTERM once the node is surely running (its handler is registered before it reads a line)
        // and owes far more replies than the pipe holds (2,000 × 250 bytes against 64 KB): not after
        // a fixed second, which a loaded machine can spend starting the process.
        await Eventually.TrueAsync(() => Volatile.Read(ref written.Value) >= 2000 || feeding.IsCompleted, "the node reads its input");
        feeding.IsCompleted.Should().BeFalse("the node must still be running: " + Text(stderr));

        using (var kill = Process.Start("kill", ["-TERM", node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        (await ExitCodeAsync(node)).Should().Be(0, Text(stderr));
        Text(stderr).Should().Contain("stdout was not read within drain_timeout_ms (500 ms)");
        await feeding;
    }

    private static async Task<int> ExitCodeAsync(Process node)
    {
        using var cancel = new CancellationTokenSource(Wait);
        try
        {
            await node.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"the node did not exit within {Wait.TotalSeconds:0} s");
        }

        return node.ExitCode;
    }

    // Writes init and then echo requests until done or the node stops reading; never throws.
    private static Task FeedAsync(Process node, int echoes, StrongBox<int> written) => Task.Run(async () =>
    {
        try
        {
            var input = node.StandardInput;
            await input.WriteLineAsync(Init);
            var padding = new string('x', 200);
            for (var i = 2; i < echoes; i++)
            {
                await input.WriteLineAsync($$$"""{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":{{{i}}},"echo":"{{{padding}}}"}}""");
                Interlocked.Increment(ref written.Value);
            }

            input.Close();
        }
        catch (IOException)
        {
            // The node has exited (or closed its input).
        }
    });

    private static string Text(StringBuilder stderr)
    {
        lock (stderr)
        {
            return stderr.ToString();
        }
    }
}
