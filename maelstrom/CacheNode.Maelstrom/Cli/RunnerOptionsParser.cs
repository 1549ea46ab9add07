using System.Globalization;

namespace CacheNode.Maelstrom.Cli;

/// <summary>
/// Parses <c>test -w lin-kv --bin X --node-count 3 ...</c> with Maelstrom's option names and defaults
/// (maelstrom core.clj <c>opt-spec</c> plus Jepsen cli.clj <c>test-opt-spec</c>). Maelstrom options this
/// runner has no use for are accepted and listed in <see cref="RunnerOptions.IgnoredOptions"/>; options
/// neither knows are a usage error, as in Maelstrom (exit 254).
/// </summary>
internal static class RunnerOptionsParser
{
    public const string Usage = """
        usage: maelstrom test -w lin-kv|echo --bin PATH [options] [-- node args]

        Maelstrom's options (same names, same defaults):
          --bin PATH                 the node program, started once per node with the non-option arguments
          -w, --workload NAME        lin-kv (default) or echo
          --node-count N             nodes n0..n{N-1}; without it (and without --nodes) n1..n5
          --nodes LIST, --node NAME  node names (comma-separated list; --node repeatable)
          --time-limit S             seconds of workload (default 60)
          --rate R                   operations per second over all clients (default 5)
          --concurrency C|Cn         client threads, or C times the node count (default 1n; lin-kv needs a
                                     multiple of 2n, as in Maelstrom)
          --latency MS               mean node-to-node latency; client messages have none (default 0)
          --latency-dist D           constant | uniform | exponential (default constant)
          --nemesis F[,F]            partition (Maelstrom's shapes and timing); runner-only: pause, kill
          --nemesis-interval S       mean seconds between fault starts and stops (default 10)
          --availability A           total, or the fraction of operations that must succeed (default: no check)
          --log-stderr               copy node stderr to the console
          -h, --help                 this text
          Accepted and reported, without effect here: --log-net-send, --log-net-recv, --key-count,
          --max-txn-length, --max-writes-per-key, --topology, --consistency-models, --test-count 1,
          --leave-db-running, --logging-json, --username, --password, --ssh-private-key,
          --strict-host-key-checking, --no-ssh

        Runner-only extensions (a plain Maelstrom command line never sets these):
          --seed N                   random seed (default: time-based; printed in the report)
          --keys K                   K keys drawn at random instead of Jepsen's one-key-at-a-time generator
          --read-ratio F             with --keys: fraction of reads (default 0.5; write and cas share the rest)
          --key-skew S               with --keys: Zipf exponent (default 0: uniform)
          --store DIR                where runs are stored (default store)
          --env NAME=VALUE           environment for every node (repeatable); CACHENODE_* variables of the
                                     runner's own environment are passed through as well
          --final-reads              after the time limit: heal, settle, every client reads every key
          --node-checks              CacheNode's own checks: final reads, flush, every key read back from
                                     lin-kv (lost writes), stats, and a clean exit at end of input
          --verbatim-messages        deliver each message as its sender wrote it (Maelstrom delivers its own
                                     respelling: its message id first, numbers, escapes and key order as
                                     Cheshire writes them)

        Exit status: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crash (a node failed to start,
        answer init, or exited during the test).
        """;

    private static readonly HashSet<string> IgnoredValueFlags = new(StringComparer.Ordinal)
    {
        "--key-count", "--max-txn-length", "--max-writes-per-key", "--topology", "--consistency-models",
        "--username", "--password", "--ssh-private-key",
    };

    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "-w", "--workload", "--bin", "--node-count", "--nodes", "-n", "--node", "--nodes-file", "--time-limit", "--rate", "--concurrency",
        "--latency", "--latency-dist", "--nemesis", "--nemesis-interval", "--availability", "--test-count",
        "--seed", "--keys", "--read-ratio", "--key-skew", "--store", "--env",
    };

    private static readonly HashSet<string> IgnoredSwitches = new(StringComparer.Ordinal)
    {
        "--log-net-send", "--log-net-recv", "--leave-db-running", "--logging-json", "--strict-host-key-checking", "--no-ssh",
    };

    /// <summary>True if the arguments ask for help (<c>-h</c>/<c>--help</c> anywhere).</summary>
    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help" or "help");

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "test")
        {
            throw new UsageException("the first argument must be 'test'");
        }

        var options = new RunnerOptions { Bin = string.Empty };
        string? bin = null;
        List<string>? nodes = null;
        var binArgs = new List<string>();
        var ignored = new List<string>();
        var extensions = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
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
            if (flag == "--")
            {
                binArgs.AddRange(args.Skip(i + 1));
                break;
            }

            if (!flag.StartsWith('-'))
            {
                binArgs.Add(flag);
                continue;
            }

            switch (flag)
            {
                case "--log-stderr":
                    options = options with { LogStderr = true };
                    continue;
                case "--final-reads":
                    options = options with { FinalReads = true };
                    extensions.Add(flag);
                    continue;
                case "--node-checks":
                    options = options with { NodeChecks = true };
                    extensions.Add(flag);
                    continue;
                case "--verbatim-messages":
                    options = options with { VerbatimMessages = true };
                    extensions.Add(flag);
                    continue;
                case var s when IgnoredSwitches.Contains(s):
                    ignored.Add(flag);
                    continue;
            }

            if (!ValueFlags.Contains(flag) && !IgnoredValueFlags.Contains(flag))
            {
                throw new UsageException($"unknown option {flag}");
            }

            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{flag} needs a value");
            }

            var value = args[++i];
            if (IgnoredValueFlags.Contains(flag))
            {
                ignored.Add($"{flag} {value}");
                continue;
            }

            if (flag is "--seed" or "--keys" or "--read-ratio" or "--key-skew" or "--store" or "--env")
            {
                extensions.Add(flag == "--env" ? $"--env {value}" : $"{flag} {value}");
            }

            options = flag switch
            {
                "-w" or "--workload" => options with { Workload = Workload(flag, value) },
                "--bin" => options with { Bin = bin = value },
                "--node-count" => options with { NodeCount = Int(flag, value, 1, 64) },
                "--nodes" => options with { NodeIds = nodes = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "-n" or "--node" => options with { NodeIds = nodes = [.. nodes ?? [], value] },
                "--time-limit" => options with { TimeLimitSeconds = Double(flag, value, 0.1, 86_400) },
                "--rate" => options with { Rate = Double(flag, value, 0, 1_000_000) },
                "--concurrency" => options with { ConcurrencySpec = Concurrency(value) },
                "--latency" => options with { LatencyMs = Double(flag, value, 0, 60_000) },
                "--latency-dist" => options with { LatencyDistribution = Distribution(value) },
                "--nemesis" => options with { Nemesis = Faults(value) },
                "--nemesis-interval" => options with { NemesisIntervalSeconds = Double(flag, value, 0.01, 3600) },
                "--availability" => options with { Availability = AvailabilityTarget(value) },
                "--test-count" => value == "1" ? options : throw new UsageException($"--test-count: this runner runs one test per command, not '{value}'"),
                "--nodes-file" => options with { NodeIds = nodes = [.. nodes ?? [], .. File.ReadAllLines(value).Select(l => l.Trim()).Where(l => l.Length > 0)] },
                "--seed" => options with { Seed = Int(flag, value, int.MinValue, int.MaxValue) },
                "--keys" => options with { UniformKeys = Int(flag, value, 1, 1_000_000) },
                "--read-ratio" => options with { ReadRatio = Double(flag, value, 0, 1) },
                "--key-skew" => options with { KeySkew = Double(flag, value, 0, 10) },
                "--store" => options with { StoreDirectory = value },
                "--env" => AddEnvironment(options, environment, value),
                _ => throw new UsageException($"unknown option {flag}"),
            };
        }

        if (bin is null)
        {
            throw new UsageException("--bin is required (Expected a --bin PATH_TO_BINARY to test)");
        }

        if (options.NodeIds.Count == 0 || options.NodeIds.Distinct(StringComparer.Ordinal).Count() != options.NodeIds.Count)
        {
            throw new UsageException("--nodes must name at least one node, each once");
        }

        if (options.Concurrency < 1)
        {
            throw new UsageException("--concurrency must be at least 1");
        }

        return options with
        {
            BinArgs = binArgs,
            NodeEnvironment = environment,
            IgnoredOptions = ignored,
            Extensions = extensions,
            Arguments = [.. args],
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

    private static string Workload(string flag, string value) => value switch
    {
        "lin-kv" or "echo" => value,
        "broadcast" or "g-set" or "g-counter" or "pn-counter" or "txn-list-append" or "txn-rw-register" or "unique-ids" or "kafka" =>
            throw new UsageException($"{flag} {value} is a Maelstrom workload this runner does not implement (lin-kv, echo)"),
        _ => throw new UsageException($"{flag} must be one of lin-kv, echo, not '{value}'"),
    };

    private static string Concurrency(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"^\d+n?$")
            ? value
            : throw new UsageException($"--concurrency must be an integer, optionally followed by n, not '{value}'");

    private static LatencyDistribution Distribution(string value) => value switch
    {
        "constant" => LatencyDistribution.Constant,
        "uniform" => LatencyDistribution.Uniform,
        "exponential" => LatencyDistribution.Exponential,
        _ => throw new UsageException($"--latency-dist must be one of constant, uniform, exponential, not '{value}'"),
    };

    private static double AvailabilityTarget(string value) =>
        value == "total" ? double.PositiveInfinity : Double("--availability", value, 0, 1);

    private static HashSet<string> Faults(string value)
    {
        var faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var fault in faults)
        {
            if (fault is not ("partition" or "pause" or "kill" or "none"))
            {
                throw new UsageException($"--nemesis must be one of partition, pause, kill, not '{fault}'");
            }
        }

        faults.Remove("none");
        return faults;
    }

    private static int Int(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{flag} must be a whole number from {min} to {max}, not '{value}'");

    private static double Double(string flag, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{flag} must be a number from {min} to {max}, not '{value}'");
}
