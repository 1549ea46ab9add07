using System.IO.Pipelines;
using System.Text;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.UnitTests.Protocol;

public sealed class MessageWriterTests
{
    [Fact]
    public async Task Writes_the_contracts_byte_exact_line()
    {
        var output = new MemoryStream();
        var writer = new MessageWriter(output);

        writer.Send("n1", "c0", new InitOk(), inReplyTo: 1);
        await writer.DisposeAsync();

        Encoding.UTF8.GetString(output.ToArray())
            .Should().Be("{\"src\":\"n1\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1,\"msg_id\":0}}\n");
    }

    [Fact]
    public async Task Ids_continue_from_a_later_start_but_never_go_back()
    {
        // A restarted node in a cluster must not reuse the ids its earlier run sent peers requests with.
        var output = new MemoryStream();
        var writer = new MessageWriter(output);
        writer.Send("n1", "c0", new InitOk(), inReplyTo: 1).Should().Be(0);

        writer.ContinueIdsFrom(1_764_000_000_000_000);
        writer.Send("n1", "n2", new WriteOk(), inReplyTo: null).Should().Be(1_764_000_000_000_000);
        writer.ContinueIdsFrom(5);
        writer.Send("n1", "n2", new WriteOk(), inReplyTo: null).Should().Be(1_764_000_000_000_001);
        await writer.DisposeAsync();

        Encoding.UTF8.GetString(output.ToArray()).Should().Contain("\"msg_id\":1764000000000001}");
    }

    [Fact]
    public async Task Names_are_escaped_and_each_message_has_its_own_destination_past_the_prefix_cache()
    {
        var output = new MemoryStream();
        var writer = new MessageWriter(output);
        // More destinations than the writer keeps encoded prefixes for, then the first ones again.
        var destinations = Enumerable.Range(0, 1500).Select(i => $"c\"{i}").ToList();

        foreach (var dest in destinations.Concat(destinations.Take(10)))
        {
            writer.Send("n\\1", dest, new WriteOk(), inReplyTo: null);
        }

        await writer.DisposeAsync();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1510);
        for (var i = 0; i < lines.Length; i++)
        {
            using var message = System.Text.Json.JsonDocument.Parse(lines[i]);
            message.RootElement.GetProperty("src").GetString().Should().Be("n\\1");
            message.RootElement.GetProperty("dest").GetString().Should().Be(destinations[i % 1500], lines[i]);
            message.RootElement.GetProperty("body").GetProperty("msg_id").GetInt64().Should().Be(i);
            message.RootElement.GetProperty("body").TryGetProperty("in_reply_to", out _).Should().BeFalse();
        }
    }

    [Fact]
    public async Task Message_ids_appear_in_counter_order_when_many_threads_send()
    {
        var output = new MemoryStream();
        var writer = new MessageWriter(output);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2500; i++)
            {
                writer.Send("n1", "c" + t, new WriteOk(), inReplyTo: i);
            }
        })));
        await writer.DisposeAsync();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(10_000);
        lines.Select(l => long.Parse(l[(l.LastIndexOf(':') + 1)..^2], System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(Enumerable.Range(0, 10_000).Select(i => (long)i));
    }

    [Fact]
    public async Task Reply_is_flushed_without_waiting_for_more_messages()
    {
        var pipe = new Pipe();
        var writer = new MessageWriter(pipe.Writer.AsStream());

        writer.Send("n1", "c0", new WriteOk(), inReplyTo: 5);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await pipe.Reader.ReadAtLeastAsync(10, timeout.Token);

        Encoding.UTF8.GetString(read.Buffer).Should().StartWith("{\"src\":\"n1\"");
        await writer.DisposeAsync();
    }
}
