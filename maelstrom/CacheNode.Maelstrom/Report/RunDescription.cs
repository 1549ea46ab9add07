using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CacheNode.Maelstrom.Cli;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// What ran, in words a person can check: the title that names the strategy, the node settings that
/// are testing switches, and a command line that runs the same test again.
/// </summary>
internal static partial class RunDescription
{
    private const string StrategyVariable = "CACHENODE_STRATEGY";

    /// <summary>
    /// The node's write strategy: <c>CACHENODE_STRATEGY</c>, or CacheNode's default when the node is
    /// CacheNode and none was set; null for another program, which has no strategy.
    /// </summary>
    public static string? Strategy(RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NodeEnvironment.TryGetValue(StrategyVariable, out var strategy) && strategy.Length > 0)
        {
            return strategy;
        }

        return Path.GetFileName(options.Bin).Contains("cachenode", StringComparison.OrdinalIgnoreCase) ? "write-through" : null;
    }

    /// <summary>E.g. "write-behind: lin-kv, 3 node(s), partition": three runs of run.sh must not share a title.</summary>
    public static string Title(RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = string.Join(",", options.Nemesis.DefaultIfEmpty("no faults"));
        var prefix = Strategy(options) is { } strategy ? strategy + ": " : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{options.Workload}, {options.NodeCount} node(s), {faults}");
    }

    /// <summary>
    /// Node settings that switch a safety mechanism off for testing: a name containing UNSAFE with a value
    /// that is not false. A report that shows a violation must say when the violation was asked for.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> UnsafeFlags(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return [.. environment.Where(p => IsUnsafeFlag(p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    public static bool IsUnsafeFlag(string name, string value) =>
        name.Contains("UNSAFE", StringComparison.OrdinalIgnoreCase) && IsTruthy(value);

    /// <summary>Anything but empty, 0, false, no or off: when in doubt, the report warns.</summary>
    public static bool IsTruthy(string value) =>
        value.Trim().ToLowerInvariant() is not ("" or "0" or "false" or "no" or "off");

    /// <summary>
    /// A shell command that runs this test again: the arguments as given when they were kept (plus the seed
    /// when it was chosen at random, so the same random choices are made), else rebuilt from the options.
    /// Node settings that came from the runner's own environment are put in front of it.
    /// </summary>
    public static string CommandLine(RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var arguments = options.Arguments.Count > 0 ? [.. options.Arguments] : Rebuild(options);
        if (!arguments.Contains("--seed"))
        {
            var end = arguments.IndexOf("--");
            arguments.InsertRange(end < 0 ? arguments.Count : end, ["--seed", options.Seed.ToString(CultureInfo.InvariantCulture)]);
        }

        var given = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == "--env" && arguments[i + 1].IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                given.Add(arguments[i + 1][..equals]);
            }
        }

        var line = new StringBuilder();
        foreach (var (name, value) in options.NodeEnvironment.OrderBy(p => p.Key, StringComparer.Ordinal).Where(p => !given.Contains(p.Key)))
        {
            line.Append(Quote(name + "=" + value)).Append(' ');
        }

        line.Append("scripts/runner");
        foreach (var argument in arguments)
        {
            line.Append(' ').Append(Quote(argument));
        }

        return line.ToString();
    }

    private static List<string> Rebuild(RunnerOptions o)
    {
        string N(double value) => value.ToString(CultureInfo.InvariantCulture);
        var defaultNames = Enumerable.Range(0, o.NodeCount).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture));
        List<string> a = ["test", "-w", o.Workload, "--bin", o.Bin];
        a.AddRange(o.NodeIds.SequenceEqual(defaultNames, StringComparer.Ordinal)
            ? ["--node-count", o.NodeCount.ToString(CultureInfo.InvariantCulture)]
            : ["--nodes", string.Join(",", o.NodeIds)]);
        a.AddRange(["--time-limit", N(o.TimeLimitSeconds), "--rate", N(o.Rate), "--concurrency", o.ConcurrencySpec]);
        if (o.LatencyMs > 0)
        {
            a.AddRange(["--latency", N(o.LatencyMs), "--latency-dist", o.LatencyDistribution.ToString().ToLowerInvariant()]);
        }

        if (o.Nemesis.Count > 0)
        {
            a.AddRange(["--nemesis", string.Join(",", o.Nemesis.Order(StringComparer.Ordinal)), "--nemesis-interval", N(o.NemesisIntervalSeconds)]);
        }

        if (o.Availability is { } availability)
        {
            a.AddRange(["--availability", double.IsPositiveInfinity(availability) ? "total" : N(availability)]);
        }

        if (o.UniformKeys is { } keys)
        {
            a.AddRange(["--keys", keys.ToString(CultureInfo.InvariantCulture), "--read-ratio", N(o.ReadRatio), "--key-skew", N(o.KeySkew)]);
        }

        a.AddRange(["--seed", o.Seed.ToString(CultureInfo.InvariantCulture)]);
        foreach (var (name, value) in o.NodeEnvironment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            a.AddRange(["--env", name + "=" + value]);
        }

        if (o.FinalReads)
        {
            a.Add("--final-reads");
        }

        if (o.NodeChecks)
        {
            a.Add("--node-checks");
        }

        if (o.BinArgs.Count > 0)
        {
            a.Add("--");
            a.AddRange(o.BinArgs);
        }

        return a;
    }

    /// <summary>POSIX shell quoting: plain words stay bare, anything else goes in single quotes.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:=,@%+-]+$")]
    private static partial Regex PlainWord();
}
