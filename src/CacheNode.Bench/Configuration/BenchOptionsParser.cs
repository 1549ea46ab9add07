using System.Globalization;

namespace CacheNode.Bench.Configuration;

/// <summary>Parses <c>--flag value</c> / <c>--flag=value</c> arguments; a later flag wins, so scripts can pass defaults first.</summary>
internal static class BenchOptionsParser
{
    public const string Usage = """
        Usage: CacheNode.Bench [--requests N] [--peer "CMD"] [--out FILE] [--node DLL] [--repeats N] [--startups N]

          --requests N   requests per workload file, after the init line (default 200000, at least 1000)
          --peer "CMD"   also run this Maelstrom echo node (through /bin/sh -c) over the echo workload
          --out FILE     also write the Markdown report to FILE
          --node DLL     the built CacheNode.dll (default: src/CacheNode/bin/Release/net10.0 under the repository)
          --repeats N    runs per throughput figure; the best and the median are reported (default 3)
          --startups N   spawns per start-up figure; the median and p90 are reported (default 10)

        CACHENODE_* variables in the environment reach the node (the bench sets only CACHENODE_STRATEGY).

        """;

    private static readonly HashSet<string> Flags = ["--requests", "--peer", "--out", "--node", "--repeats", "--startups"];

    /// <summary>Returns null when the user asked for <c>--help</c>.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return null;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            if (!Flags.Contains(flag))
            {
                throw new BenchOptionsException($"unknown argument '{arg}' (see --help)");
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new BenchOptionsException($"{flag} needs a value (see --help)");
            }

            options = flag switch
            {
                "--requests" => options with { Requests = ParseInt(flag, value, 1000) },
                "--peer" => options with { PeerCommand = NonEmpty(flag, value) },
                "--out" => options with { OutFile = NonEmpty(flag, value) },
                "--node" => options with { NodeDll = NonEmpty(flag, value) },
                "--repeats" => options with { Repeats = ParseInt(flag, value, 1) },
                "--startups" => options with { StartupRuns = ParseInt(flag, value, 1) },
                _ => throw new InvalidOperationException($"{flag} is listed in Flags but not handled"),
            };
        }

        return options;
    }

    private static int ParseInt(string flag, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < min)
        {
            throw new BenchOptionsException($"{flag} {value}: expected a whole number of at least {min}");
        }

        return parsed;
    }

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new BenchOptionsException($"{flag} needs a non-empty value") : value;
}
