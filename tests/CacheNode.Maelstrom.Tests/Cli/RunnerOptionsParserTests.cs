using CacheNode.Maelstrom.Cli;

namespace CacheNode.Maelstrom.Tests.Cli;

public sealed class RunnerOptionsParserTests
{
    [Fact]
    public void Parses_maelstroms_own_option_names()
    {
        var options = RunnerOptionsParser.Parse(
            ["test", "-w", "lin-kv", "--bin", "scripts/cachenode", "--node-count", "3", "--time-limit", "20", "--rate", "100",
             "--concurrency", "2n", "--latency", "5", "--latency-dist", "exponential", "--nemesis", "partition,kill", "--seed", "7",
             "--key-count", "100", "--read-ratio", "0.9", "--env", "CACHENODE_STRATEGY=cache-aside"]);

        options.Bin.Should().Be("scripts/cachenode");
        options.NodeCount.Should().Be(3);
        options.Concurrency.Should().Be(6);
        options.LatencyDistribution.Should().Be(LatencyDistribution.Exponential);
        options.Nemesis.Should().BeEquivalentTo(["partition", "kill"]);
        options.Seed.Should().Be(7);
        options.ReadRatio.Should().Be(0.9);
        options.NodeEnvironment.Should().Contain("CACHENODE_STRATEGY", "cache-aside");
    }

    [Theory]
    [InlineData("--nemesis", "earthquake")]
    [InlineData("--node-count", "0")]
    [InlineData("--latency-dist", "normal")]
    [InlineData("-w", "broadcast")]
    public void Rejects_bad_values(string flag, string value)
    {
        var parse = () => RunnerOptionsParser.Parse(["test", "--bin", "x", flag, value]);

        parse.Should().Throw<UsageException>().WithMessage($"{flag}*");
    }

    [Fact]
    public void Bin_is_required()
    {
        ((Action)(() => RunnerOptionsParser.Parse(["test", "-w", "echo"]))).Should().Throw<UsageException>().WithMessage("--bin is required");
    }
}
