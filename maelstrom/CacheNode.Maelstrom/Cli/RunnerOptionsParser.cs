using System.Globalization;

namespace CacheNode.Maelstrom.Cli;

/// <summary>Parses <c>test -w lin-kv --bin X --node-count 3 ...</c>, Maelstrom's own option names.</summary>
internal static class RunnerOptionsParser
{
    public const string Usage = """
        usage: maelstrom test -w lin-kv|echo --bin PATH [options]
          --bin PATH                 the node program (started once per node, no arguments)
          --node-count N             nodes n0..n{N-1} (default 1)
          --time-limit S             seconds of workload (default 10)
          --rate R                   client operations per second, all clients together (default 100)
          --concurrency C|Cn         client processes, or C times the node count (default 2n)
          --latency MS               mean one-way message latency (default 0)
          --latency-dist D           constant | uniform | exponential (default constant)
          --nemesis F[,F]            partition, pause, kill (default none)
          --nemesis-interval S       seconds between fault changes (default 5)
          --key-count K              keys of the lin-kv workload (default 8)
          --read-ratio F             fraction of reads, 0..1 (default 0.5; writes and cas share the rest)
          --key-skew S               Zipf exponent for key choice (default 0: uniform)
          --seed N                   random seed (default: time-based; printed in the report)
          --store DIR                where reports go (default store)
          --env NAME=VALUE           environment for every node (repeatable); CACHENODE_* variables of the
                                     runner's own environment are passed through as well
          --no-db-check              skip the final read-back of every key from lin-kv
        """;

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "test")
        {
            throw new UsageException("the first argument must be 'test'");
        }

        string? bin = null;
        string concurrency = "2n";
        var options = new RunnerOptions { Bin = string.Empty };
        var environment = new Dictionary<string, string>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("CACHENODE_", StringComparison.Ordinal))
            {
                environment[name] = Environment.GetEnvironmentVariable(name)!;
            }
        }

        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--no-db-check")
            {
                options = options with { CheckDatabase = false };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{flag} needs a value");
            }

            var value = args[++i];
            options = flag switch
            {
                "-w" or "--workload" => options with { Workload = OneOf(flag, value, "lin-kv", "echo") },
                "--bin" => options with { Bin = bin = value },
                "--node-count" => options with { NodeCount = Int(flag, value, 1, 64) },
                "--time-limit" => options with { TimeLimitSeconds = Double(flag, value, 0.1, 86_400) },
                "--rate" => options with { Rate = Double(flag, value, 0.1, 1_000_000) },
                "--latency" => options with { LatencyMs = Double(flag, value, 0, 60_000) },
                "--latency-dist" => options with
                {
                    LatencyDistribution = OneOf(flag, value, "constant", "uniform", "exponential") switch
                    {
                        "uniform" => LatencyDistribution.Uniform,
                        "exponential" => LatencyDistribution.Exponential,
                        _ => LatencyDistribution.Constant,
                    },
                },
                "--nemesis" => options with { Nemesis = Faults(value) },
                "--nemesis-interval" => options with { NemesisIntervalSeconds = Double(flag, value, 0.1, 3600) },
                "--key-count" => options with { KeyCount = Int(flag, value, 1, 1_000_000) },
                "--read-ratio" => options with { ReadRatio = Double(flag, value, 0, 1) },
                "--key-skew" => options with { KeySkew = Double(flag, value, 0, 10) },
                "--seed" => options with { Seed = Int(flag, value, int.MinValue, int.MaxValue) },
                "--store" => options with { StoreDirectory = value },
                "--env" => AddEnvironment(options, environment, value),
                "--concurrency" => options,
                _ => throw new UsageException($"unknown option {flag}"),
            };
            if (flag == "--concurrency")
            {
                concurrency = value;
            }
        }

        if (bin is null)
        {
            throw new UsageException("--bin is required");
        }

        return options with
        {
            Concurrency = ParseConcurrency(concurrency, options.NodeCount),
            NodeEnvironment = environment,
        };
    }

    private static RunnerOptions AddEnvironment(RunnerOptions options, Dictionary<string, string> environment, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"--env takes NAME=VALUE, not '{value}'");
        }

        environment[value[..equals]] = value[(equals + 1)..];
        return options;
    }

    private static int ParseConcurrency(string value, int nodeCount)
    {
        var perNode = value.EndsWith('n');
        var number = Int("--concurrency", perNode ? value[..^1] : value, 1, 10_000);
        return perNode ? number * nodeCount : number;
    }

    private static HashSet<string> Faults(string value)
    {
        var faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var fault in faults)
        {
            OneOf("--nemesis", fault, "partition", "pause", "kill", "none");
        }

        faults.Remove("none");
        return faults;
    }

    private static string OneOf(string flag, string value, params string[] choices) =>
        choices.Contains(value, StringComparer.Ordinal) ? value : throw new UsageException($"{flag} must be one of {string.Join(", ", choices)}, not '{value}'");

    private static int Int(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{flag} must be a whole number from {min} to {max}, not '{value}'");

    private static double Double(string flag, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{flag} must be a number from {min} to {max}, not '{value}'");
}
