using CacheNode.Hosting;

namespace CacheNode.UnitTests.Hosting;

public sealed class BlockingReadStreamTests
{
    [Fact]
    public async Task Asynchronous_reads_complete_inline_with_the_data()
    {
        using var stream = new BlockingReadStream(new MemoryStream("abc"u8.ToArray()));
        var buffer = new byte[8];

        var read = stream.ReadAsync(buffer);

        // Inline: no hop to the thread pool and back.
        read.IsCompletedSuccessfully.Should().BeTrue();
        (await read).Should().Be(3);
        buffer[..3].Should().Equal("abc"u8.ToArray());
        (await stream.ReadAsync(buffer)).Should().Be(0, "end of input reads as zero bytes");
    }

    [Fact]
    public async Task A_cancelled_read_does_not_read()
    {
        using var stream = new BlockingReadStream(new MemoryStream("abc"u8.ToArray()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var read = async () => await stream.ReadAsync(new byte[8], cancelled.Token);

        await read.Should().ThrowAsync<OperationCanceledException>();
        (await stream.ReadAsync(new byte[8])).Should().Be(3, "the cancelled read consumed nothing");
    }

    [Fact]
    public async Task A_failing_read_fails_the_task_rather_than_throwing_at_the_call()
    {
        using var stream = new BlockingReadStream(new FailingStream());

        var read = stream.ReadAsync(new byte[8]);

        read.IsFaulted.Should().BeTrue();
        await FluentActions.Awaiting(async () => await read).Should().ThrowAsync<IOException>();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override int Read(Span<byte> buffer) => throw new IOException("read failed");
    }
}
