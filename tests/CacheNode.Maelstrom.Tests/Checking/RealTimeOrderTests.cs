using CacheNode.Maelstrom.Checking;

namespace CacheNode.Maelstrom.Tests.Checking;

/// <summary>Only a strictly earlier completion orders two operations; intervals are closed.</summary>
public sealed class RealTimeOrderTests
{
    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Read_invoked_when_a_write_completes_is_concurrent_with_it(long readInvokeMs, bool linearizable)
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 5, 1)
            .Read(1, readInvokeMs, 10, null)
            .Check();

        result.Verdict.Should().Be(linearizable ? Verdict.Valid : Verdict.Invalid);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(4, false)]
    public void Write_invoked_when_a_read_completes_may_explain_it(long readCompleteMs, bool linearizable)
    {
        var result = new HistoryBuilder()
            .Read(0, 0, readCompleteMs, 1)
            .Write(1, 5, 9, 1)
            .Check();

        result.Verdict.Should().Be(linearizable ? Verdict.Valid : Verdict.Invalid);
    }

    [Fact]
    public void Instantaneous_operations_at_the_same_time_are_concurrent()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Read(1, 5, 5, 2)
            .Write(2, 5, 5, 2)
            .Read(0, 5, 5, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Valid, "all three happen at 5 ms: read 1, write 2, read 2 is an order");
    }

    [Fact]
    public void Instantaneous_operations_keep_their_order_when_times_differ()
    {
        var result = new HistoryBuilder()
            .Write(0, 0, 1, 1)
            .Write(2, 5, 5, 2)
            .Read(0, 6, 6, 1)
            .Check();

        result.Verdict.Should().Be(Verdict.Invalid);
    }
}
