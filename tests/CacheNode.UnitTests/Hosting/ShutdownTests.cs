using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Hosting;
using CacheNode.Protocol;
using CacheNode.Strategies;

namespace CacheNode.UnitTests.Hosting;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Every_write_acked_around_a_stop_signal_reaches_the_database()
    {
        // Writes keep arriving while the node is told to stop, at a random moment: whatever it acked
        // must be in the database when it exits; the rest must have been refused.
        var acked = 0;
        for (var round = 0; round < 60; round++)
        {
            var input = new Pipe();
            var output = new MemoryStream();
            var options = new NodeOptions { Strategy = StrategyKind.WriteBehind, Database = DatabaseKind.Local, DrainTimeoutMs = 5000 };
            var node = new Node(options, input.Reader.AsStream(), output, Log.Silent, TimeProvider.System);
            using var stop = new CancellationTokenSource();
            var run = node.RunAsync(stop.Token);
            await input.Writer.WriteAsync(Line("""{"type":"init","msg_id":0,"node_id":"n1","node_ids":["n1"]}"""));
            while (node.Context.Runtime is null)
            {
                await Task.Delay(1);
            }

            var feeding = Task.Run(async () =>
            {
                for (var i = 1; i < 3000 && !run.IsCompleted; i++)
                {
                    await input.Writer.WriteAsync(Line($$$"""{"type":"write","msg_id":{{{i}}},"key":{{{i}}},"value":{{{i}}}}"""));
                }
            });
            await Task.Delay(Random.Shared.Next(1, 5));
            await stop.CancelAsync();

            (await run).Should().Be(0);

            // The stopped node reads no more: release the feeder from the pipe's backpressure.
            while (!feeding.IsCompleted)
            {
                input.Writer.CancelPendingFlush();
                await Task.Delay(1);
            }

            await feeding;
            var database = node.Context.Runtime!.Database;
            foreach (var reply in Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(reply);
                var body = document.RootElement.GetProperty("body");
                if (body.GetProperty("type").GetString() == "write_ok")
                {
                    acked++;
                    var key = body.GetProperty("in_reply_to").GetInt64();
                    (await database.ReadAsync(RawJson.FromInt(key))).Found.Should().BeTrue($"write {key} was acked in round {round}");
                }
            }
        }

        acked.Should().BeGreaterThan(0);
    }

    private static ReadOnlyMemory<byte> Line(string body) =>
        Encoding.UTF8.GetBytes($$"""{"src":"c1","dest":"n1","body":{{body}}}""" + "\n");
}
