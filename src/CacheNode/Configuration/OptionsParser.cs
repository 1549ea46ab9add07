using System.Globalization;
using System.Text;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.Configuration;

/// <summary>
/// Reads settings from <c>CACHENODE_*</c> environment variables (Maelstrom starts nodes without arguments),
/// then from the same-named flags, which win. Any bad value is an <see cref="OptionsException"/>.
/// </summary>
internal static class OptionsParser
{
    public static IReadOnlyList<Setting> Settings { get; } =
    [
        new("strategy", "write-through | cache-aside | write-behind | proxy (no cache: the baseline)", "write-through",
            (o, v) => o with { Strategy = ParseEnum(v, ("write-through", StrategyKind.WriteThrough), ("cache-aside", StrategyKind.CacheAside), ("write-behind", StrategyKind.WriteBehind), ("proxy", StrategyKind.Proxy)) }),
        new("db", "auto | local | lin-kv | seq-kv (auto: lin-kv with more than one node)", "auto",
            (o, v) => o with { Database = ParseEnum(v, ("auto", DatabaseKind.Auto), ("local", DatabaseKind.Local), ("lin-kv", DatabaseKind.LinKv), ("seq-kv", DatabaseKind.SeqKv)) }),
        new("ttl-ms", "lifetime of a cached value", "30000", (o, v) => o with { TtlMs = ParseInt(v, 1, MaxMilliseconds) }),
        new("ttl-jitter", "fraction 0..1 by which each TTL is randomly shortened", "0.1", (o, v) => o with { TtlJitter = ParseDouble(v, 0, 1) }),
        new("negative-ttl-ms", "lifetime of a cached 'key does not exist' (0 disables)", "5000", (o, v) => o with { NegativeTtlMs = ParseInt(v, 0, MaxMilliseconds) }),
        new("lease-ms", "in a cluster: a key lease, how long a node caches a key filled from its home, and the longest a write waits out a holder it cannot reach", "500", (o, v) => o with { LeaseMs = ParseInt(v, 20, MaxMilliseconds) }),
        new("peer-timeout-ms", "how long a write waits for holders to acknowledge a revocation before waiting out their key leases", "100", (o, v) => o with { PeerTimeoutMs = ParseInt(v, 1, MaxMilliseconds) }),
        new("forward-timeout-ms", "in a cluster: timeout of a request forwarded to the key's home (owner), and of a fill from it", "500", (o, v) => o with { ForwardTimeoutMs = ParseInt(v, 1, MaxMilliseconds) }),
        new("unsafe-no-invalidation", "TESTING ONLY: 1 turns cross-node invalidation and leases off, so the runner can show it catches stale reads", "0",
            (o, v) => o with { UnsafeNoInvalidation = ParseEnum(v, ("0", false), ("1", true), ("false", false), ("true", true)) }),
        new("unsafe-write-first", "TESTING ONLY: 1 writes the database first and revokes the peers' copies after, the order that is not linearizable, so the runner can show it catches it", "0",
            (o, v) => o with { UnsafeWriteFirst = ParseEnum(v, ("0", false), ("1", true), ("false", false), ("true", true)) }),
        new("unsafe-ack-first", "TESTING ONLY: 1 writes the database, acks, and revokes the peers' copies after the ack, so the runner can show it catches stale reads that last one message delay", "0",
            (o, v) => o with { UnsafeAckFirst = ParseEnum(v, ("0", false), ("1", true), ("false", false), ("true", true)) }),
        new("unsafe-no-backup", "TESTING ONLY: 1 keeps write-behind's dirty entries on their owner alone, so the runner can show a crash then loses acked writes", "0",
            (o, v) => o with { UnsafeNoBackup = ParseEnum(v, ("0", false), ("1", true), ("false", false), ("true", true)) }),
        new("max-entries", "bound on cached entries (SIEVE eviction)", "100000", (o, v) => o with { MaxEntries = ParseInt(v, 1) }),
        new("early-refresh-beta", "XFetch beta for early refresh of hot keys (0 disables)", "1.0", (o, v) => o with { EarlyRefreshBeta = ParseDouble(v, 0, 100) }),
        new("log", "error | warn | info | debug (stderr)", "info",
            (o, v) => o with { LogLevel = ParseEnum(v, ("error", LogLevel.Error), ("warn", LogLevel.Warn), ("info", LogLevel.Info), ("debug", LogLevel.Debug)) }),
        new("write-delay-ms", "write-behind: how long a value may stay dirty (coalescing window)", "50", (o, v) => o with { WriteDelayMs = ParseInt(v, 0, MaxMilliseconds) }),
        new("batch-size", "write-behind: database writes in flight per flush round", "64", (o, v) => o with { BatchSize = ParseInt(v, 1) }),
        new("queue-capacity", "write-behind: distinct dirty keys before overflow", "10000", (o, v) => o with { QueueCapacity = ParseInt(v, 1) }),
        new("overflow", "write-behind when the queue is full: reject (error 11) | sync (write through)", "reject",
            (o, v) => o with { Overflow = ParseEnum(v, ("reject", OverflowPolicy.Reject), ("sync", OverflowPolicy.Sync)) }),
        new("db-timeout-ms", "timeout of one lin-kv / seq-kv round trip", "1000", (o, v) => o with { DbTimeoutMs = ParseInt(v, 1, MaxMilliseconds) }),
        new("db-read-attempts", "tries of a database read before error 11", "3", (o, v) => o with { DbReadAttempts = ParseInt(v, 1) }),
        new("max-value-bytes", "largest key or value accepted (larger: error 12)", "1048576", (o, v) => o with { MaxValueBytes = ParseInt(v, 1) }),
        new("max-message-bytes", "longest input line read (longer lines are skipped with a log)", "16777216", (o, v) => o with { MaxMessageBytes = ParseInt(v, 1024) }),
        new("request-timeout-ms", "a read, write, cas or invalidate not done by then is answered with an error (11 for reads, 0 otherwise) and goes on in the background; 0: no limit", "900",
            (o, v) => o with { RequestTimeoutMs = ParseInt(v, 0, MaxMilliseconds) }),
        new("drain-timeout-ms", "at shutdown, how long write-behind may take to flush", "10000", (o, v) => o with { DrainTimeoutMs = ParseInt(v, 0, MaxMilliseconds) }),
    ];

    /// <summary>Builds the options; returns null when the user asked for <c>--help</c>.</summary>
    public static NodeOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new NodeOptions();
        foreach (var setting in Settings)
        {
            if (environment(setting.EnvironmentVariable) is { Length: > 0 } value)
            {
                options = ApplyOne(options, setting, value, setting.EnvironmentVariable);
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return null;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            var setting = Settings.FirstOrDefault(s => s.Flag == flag)
                ?? throw new OptionsException($"unknown argument '{arg}' (see --help)");
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
                throw new OptionsException($"{flag} needs a value");
            }

            options = ApplyOne(options, setting, value, flag);
        }

        return options;
    }

    /// <summary>
    /// A warning for each <c>CACHENODE_*</c> name that is no setting (a typo would otherwise be ignored
    /// without a word), naming the closest setting.
    /// </summary>
    public static IEnumerable<string> UnknownVariables(IEnumerable<string> environmentNames)
    {
        var known = Settings.Select(setting => setting.EnvironmentVariable).ToList();
        foreach (var name in environmentNames.Where(n => n.StartsWith(Setting.Prefix, StringComparison.Ordinal) && !known.Contains(n)).Order(StringComparer.Ordinal))
        {
            // Fewest edits; among equals, the longest shared beginning (CACHENODE_TTL is CACHENODE_TTL_MS, not _DB).
            var closest = known.OrderBy(candidate => EditDistance(name, candidate))
                .ThenByDescending(candidate => name.AsSpan().CommonPrefixLength(candidate))
                .First();
            yield return $"{name} is not a setting and is ignored; did you mean {closest}? (--help lists them)";
        }
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("CacheNode: a Maelstrom node that caches a key-value database.");
        text.AppendLine("Reads Maelstrom messages on stdin, one JSON object per line; replies on stdout; logs on stderr.");
        text.AppendLine();
        text.AppendLine("Settings (environment variable, or the flag, which wins):");
        foreach (var setting in Settings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {setting.EnvironmentVariable,-30} {setting.Flag,-22} {setting.Help} (default {setting.Default})");
        }

        return text.ToString();
    }

    private static NodeOptions ApplyOne(NodeOptions options, Setting setting, string value, string source)
    {
        try
        {
            return setting.Apply(options, value.Trim());
        }
        catch (FormatException ex)
        {
            throw new OptionsException($"{source}={value}: {ex.Message}");
        }
    }

    private static T ParseEnum<T>(string value, params (string Name, T Value)[] choices)
    {
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        throw new FormatException("expected one of " + string.Join(", ", choices.Select(c => c.Name)));
    }

    // Timers and waits take at most ~24.8 days; a day is more than any setting here needs.
    private const int MaxMilliseconds = 86_400_000;

    private static int ParseInt(string value, int min, int max = int.MaxValue)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            // A whole number, only too far from zero for an int, says so rather than "not a number".
            var digits = value.TrimStart('+', '-');
            throw new FormatException(digits.Length > 0 && digits.All(char.IsAsciiDigit)
                ? (value.StartsWith('-') ? $"too small (min {min})" : $"too large (max {max})")
                : "expected a whole number");
        }

        return parsed < min ? throw new FormatException($"must be at least {min}")
            : parsed > max ? throw new FormatException($"must be at most {max}")
            : parsed;
    }

    private static double ParseDouble(string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || double.IsNaN(parsed))
        {
            throw new FormatException("expected a number");
        }

        return parsed >= min && parsed <= max ? parsed : throw new FormatException($"must be between {min} and {max}");
    }
}
