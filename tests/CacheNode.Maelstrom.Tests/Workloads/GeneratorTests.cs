using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

public sealed class GeneratorTests
{
    [Fact]
    public void Uniform_key_choice_spreads_evenly_and_zipf_makes_key_zero_hottest()
    {
        var random = new Random(9);
        var uniform = Count(new KeyChooser(10, 0), random, 100_000);
        var zipf = Count(new KeyChooser(10, 1.2), random, 100_000);

        uniform.Should().OnlyContain(c => c > 9_000 && c < 11_000);
        zipf.Should().BeInDescendingOrder();
        zipf[0].Should().BeGreaterThan(4 * zipf[9]);
    }

    [Theory]
    [InlineData("constant", 5, 5, 5)]
    [InlineData("uniform", 0, 9, 4.5)]
    [InlineData("exponential", 0, double.MaxValue, 4.52)]
    // Whole milliseconds, as Maelstrom draws them: uniform over 0..2·mean-1, an exponential cut down to a
    // whole number (mean e^-0.2 / (1 - e^-0.2) = 4.52 for 5).
    public void Latency_follows_its_distribution_around_the_mean(string distribution, double min, double max, double mean)
    {
        var kind = Enum.Parse<LatencyDistribution>(distribution, ignoreCase: true);
        var model = new LatencyModel(5, kind, new Random(4));

        var samples = Enumerable.Range(0, 20_000).Select(_ => model.Next().TotalMilliseconds).ToList();

        samples.Should().OnlyContain(s => s >= min && s <= max && s == Math.Floor(s));
        samples.Average().Should().BeApproximately(mean, 0.2);
    }

    private static int[] Count(KeyChooser keys, Random random, int draws)
    {
        var counts = new int[keys.Count];
        for (var i = 0; i < draws; i++)
        {
            counts[keys.Next(random)]++;
        }

        return counts;
    }
}
