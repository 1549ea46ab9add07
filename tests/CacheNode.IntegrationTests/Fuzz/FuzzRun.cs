using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CacheNode.IntegrationTests.Harness;

namespace CacheNode.IntegrationTests.Fuzz;

/// <summary>What one fuzz run saw, and every way the node departed from the model.</summary>
internal sealed record FuzzReport(int Lines, int Replies, int Dropped, TimeSpan Elapsed, IReadOnlyList<string> Faults);

/// <summary>Drives the real node process with <see cref="HostileLines"/> and checks every answer against the model.</summary>
internal static class FuzzRun
{
    public const int MaxMessageBytes = 65_536;

    public static async Task<FuzzReport> RunAsync(int seed, int lineCount)
    {
        var generator = new HostileLines(seed, MaxMessageBytes);
        var expected = new Dictionary<long, Expectation.Reply>();
        var droppedIds = new HashSet<long>();
        var anonymousExpected = 0;
        var droppedExpected = 0;

        var stderr = new StringBuilder();
        using var node = NodeProcess.StartUnread(new Dictionary<string, string> { ["CACHENODE_MAX_MESSAGE_BYTES"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }, stderr);
        var clock = Stopwatch.StartNew();
        var replies = ReadRepliesAsync(node);
        var input = node.StandardInput.BaseStream;
        await input.WriteAsync(HostileLines.Init);
        await input.WriteAsync("\n"u8.ToArray());
        var msgId = 0L;
        foreach (var line in generator.Take(lineCount))
        {
            msgId++;
            switch (line.Expected)
            {
                case Expectation.Reply reply:
                    expected[reply.MsgId] = reply;
                    break;
                case Expectation.Dropped:
                    droppedIds.Add(msgId);
                    droppedExpected++;
                    break;
                case Expectation.AnonymousError:
                    anonymousExpected++;
                    break;
            }

            await input.WriteAsync(line.Bytes);
            await input.WriteAsync("\n"u8.ToArray());
        }

        input.Close();
        using var exitWait = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await node.WaitForExitAsync(exitWait.Token);
        var output = await replies;
        clock.Stop();

        var faults = new List<string>();
        if (node.ExitCode != 0)
        {
            faults.Add($"exit code {node.ExitCode}");
        }

        var answered = new HashSet<long>();
        var anonymous = 0;
        foreach (var text in output.Skip(1))
        {
            using var document = JsonDocument.Parse(text);
            var body = document.RootElement.GetProperty("body");
            if (!body.TryGetProperty("in_reply_to", out var inReplyTo))
            {
                anonymous++;
                continue;
            }

            var id = inReplyTo.GetInt64();
            if (!answered.Add(id))
            {
                faults.Add($"msg {id} answered twice");
            }
            else if (droppedIds.Contains(id))
            {
                faults.Add($"msg {id} should have been dropped but got {text}");
            }
            else if (!expected.TryGetValue(id, out var want))
            {
                faults.Add($"reply to an unknown msg {id}: {text}");
            }
            else
            {
                var type = body.GetProperty("type").GetString();
                var code = body.TryGetProperty("code", out var c) ? c.GetInt32() : (int?)null;
                var value = want.Type switch
                {
                    "read_ok" when body.TryGetProperty("value", out var v) => v.GetRawText(),
                    "echo_ok" when body.TryGetProperty("echo", out var e) => e.GetRawText(),
                    _ => null,
                };
                if (type != want.Type || code != want.Code || value != want.Value)
                {
                    faults.Add($"msg {id}: expected {want.Type} {want.Code} {want.Value}, got {text[..Math.Min(text.Length, 300)]}");
                }
            }
        }

        faults.AddRange(expected.Keys.Where(id => !answered.Contains(id)).Take(20).Select(id => $"msg {id} was never answered ({expected[id].Type})"));
        if (anonymous != anonymousExpected)
        {
            faults.Add($"{anonymous} replies without in_reply_to, expected {anonymousExpected}");
        }

        string log;
        lock (stderr)
        {
            log = stderr.ToString();
        }

        var logged = log.Split('\n').Count(l => l.Contains("dropped", StringComparison.Ordinal) || l.Contains("skipped", StringComparison.Ordinal));
        if (logged != droppedExpected)
        {
            faults.Add($"{logged} stderr lines for dropped lines, expected {droppedExpected}");
        }

        if (log.Any(ch => char.IsControl(ch) && ch is not '\n'))
        {
            faults.Add("stderr holds raw control characters");
        }

        return new FuzzReport(lineCount, answered.Count + anonymous, droppedExpected, clock.Elapsed, faults);
    }

    private static async Task<List<string>> ReadRepliesAsync(Process node)
    {
        var lines = new List<string>();
        var reader = node.StandardOutput;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
