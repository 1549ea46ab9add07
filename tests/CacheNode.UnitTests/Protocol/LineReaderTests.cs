using System.IO.Pipelines;
using System.Text;
using CacheNode.Protocol;

namespace CacheNode.UnitTests.Protocol;

public sealed class LineReaderTests
{
    [Fact]
    public async Task Splits_lines_however_the_bytes_arrive()
    {
        var pipe = new Pipe();
        var lines = new List<string>();
        var reader = new LineReader(pipe.Reader.AsStream(), maxLineBytes: 1024);
        var run = reader.RunAsync(line => lines.Add(Encoding.UTF8.GetString(line)), _ => { }, null, CancellationToken.None);

        foreach (var chunk in new[] { "{\"a\":", "1}\n{\"b\"", ":2}\r\n\n", "last-without-newline" })
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(chunk));
            await Task.Delay(10);
        }

        await pipe.Writer.CompleteAsync();
        await run;

        lines.Should().Equal("{\"a\":1}", "{\"b\":2}", string.Empty, "last-without-newline");
    }

    [Fact]
    public async Task Oversized_line_is_skipped_whole_and_the_next_line_is_read()
    {
        var input = new string('x', 5000) + "\n" + "ok\n" + new string('y', 3000);
        var lines = new List<string>();
        var skipped = new List<long>();
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(input)), maxLineBytes: 1024);

        await reader.RunAsync(line => lines.Add(Encoding.UTF8.GetString(line)), skipped.Add, null, CancellationToken.None);

        lines.Should().Equal("ok");
        skipped.Should().Equal(5000, 3000);
    }
}
