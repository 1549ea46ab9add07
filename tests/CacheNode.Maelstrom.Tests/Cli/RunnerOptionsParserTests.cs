using CacheNode.Maelstrom.Cli;

namespace CacheNode.Maelstrom.Tests.Cli;

public sealed class RunnerOptionsParserTests
{
    [Fact]
    public void Parses_maelstroms_own_option_names()
    {
        var options = RunnerOptionsParser.Parse(
            ["test", "-w", "lin-kv", "--bin", "scripts/cachenode", "--node-count", "3", "--time-limit", "20", "--rate", "100",
             "--concurrency", "2n", "--latency", "5", "--latency-dist", "exponential", "--nemesis", "partition", "--nemesis-interval", "3",
             "--availability", "total", "--log-stderr"]);

        options.Bin.Should().Be("scripts/cachenode");
        options.NodeIds.Should().Equal("n0", "n1", "n2");
        options.Concurrency.Should().Be(6);
        options.TimeLimitSeconds.Should().Be(20);
        options.LatencyDistribution.Should().Be(LatencyDistribution.Exponential);
        options.Nemesis.Should().BeEquivalentTo(["partition"]);
        options.NemesisIntervalSeconds.Should().Be(3);
        options.Availability.Should().Be(double.PositiveInfinity);
        options.LogStderr.Should().BeTrue();
        options.Extensions.Should().BeEmpty("nothing runner-only was asked for");
    }

    [Fact]
    public void Defaults_are_maelstroms()
    {
        var options = RunnerOptionsParser.Parse(["test", "--bin", "x"]);

        options.Workload.Should().Be("lin-kv");
        options.NodeIds.Should().Equal("n1", "n2", "n3", "n4", "n5");
        options.TimeLimitSeconds.Should().Be(60);
        options.Rate.Should().Be(5);
        options.Concurrency.Should().Be(5, "1n");
        options.LatencyMs.Should().Be(0);
        options.LatencyDistribution.Should().Be(LatencyDistribution.Constant);
        options.Nemesis.Should().BeEmpty();
        options.NemesisIntervalSeconds.Should().Be(10);
        options.Availability.Should().BeNull();
        options.UniformKeys.Should().BeNull("Jepsen's independent generator");
        options.FinalReads.Should().BeFalse();
        options.NodeChecks.Should().BeFalse("CacheNode's own requests are opt-in");
    }

    [Fact]
    public void Runner_only_options_are_listed_as_extensions()
    {
        var options = RunnerOptionsParser.Parse(
            ["test", "--bin", "x", "--seed", "7", "--keys", "100", "--read-ratio", "0.9", "--key-skew", "1", "--env", "CACHENODE_STRATEGY=cache-aside",
             "--node-checks", "--nemesis", "kill,partition"]);

        options.Seed.Should().Be(7);
        options.UniformKeys.Should().Be(100);
        options.ReadRatio.Should().Be(0.9);
        options.NodeChecks.Should().BeTrue();
        options.HasFinalPhase.Should().BeTrue();
        options.NodeEnvironment.Should().Contain("CACHENODE_STRATEGY", "cache-aside");
        options.Extensions.Should().Contain(["--seed 7", "--keys 100", "--node-checks", "--env CACHENODE_STRATEGY=cache-aside"]);
    }

    [Fact]
    public void Maelstrom_options_without_effect_here_are_accepted_and_reported()
    {
        var options = RunnerOptionsParser.Parse(
            ["test", "--bin", "x", "--log-net-send", "--topology", "tree4", "--key-count", "3", "--consistency-models", "serializable", "--test-count", "1"]);

        options.IgnoredOptions.Should().Equal("--log-net-send", "--topology tree4", "--key-count 3", "--consistency-models serializable");
    }

    [Fact]
    public void Arguments_that_are_not_options_go_to_the_node_and_node_lists_are_maelstroms()
    {
        var options = RunnerOptionsParser.Parse(["test", "--bin", "x", "--nodes", "a1,b2", "--node", "c3", "first", "--", "--second"]);

        options.BinArgs.Should().Equal("first", "--second");
        options.NodeIds.Should().Equal("a1", "b2", "c3");
    }

    [Theory]
    [InlineData("--nemesis", "earthquake")]
    [InlineData("--node-count", "0")]
    [InlineData("--latency-dist", "normal")]
    [InlineData("-w", "broadcast")]
    [InlineData("--concurrency", "two")]
    [InlineData("--availability", "most")]
    [InlineData("--test-count", "3")]
    public void Rejects_bad_values(string flag, string value)
    {
        var parse = () => RunnerOptionsParser.Parse(["test", "--bin", "x", flag, value]);

        parse.Should().Throw<UsageException>().WithMessage($"{flag}*");
    }

    [Fact]
    public void Unknown_options_and_a_missing_bin_are_usage_errors()
    {
        ((Action)(() => RunnerOptionsParser.Parse(["test", "--bin", "x", "--no-db-check"]))).Should().Throw<UsageException>().WithMessage("unknown option --no-db-check");
        ((Action)(() => RunnerOptionsParser.Parse(["test", "-w", "echo"]))).Should().Throw<UsageException>().WithMessage("--bin is required*");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_asked_for_anywhere(string flag) =>
        RunnerOptionsParser.WantsHelp(["test", "--bin", "x", flag]).Should().BeTrue();
}
