using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// `compare DIR...`: one Markdown table row per finished run (its results.json), so runs made side by
/// side in one session can be read and pasted together. Every figure comes from the reports, none is
/// typed in by hand.
/// </summary>
internal static class ComparisonTable
{
    public static string Build(IEnumerable<string> runDirectories) => Table(
        "| run | verdict | ops/s | ok | unavailable | db requests/op | hit ratio | read p50 (client) | read p50 (in node) | write p50 | slowest ok write | invalidation msgs/write | lease msgs/s | forward msgs/op |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        runDirectories,
        Row);

    /// <summary>`compare --writes DIR...`: the write side (latency, database writes, flush lag, durability).</summary>
    public static string BuildWrites(IEnumerable<string> runDirectories) => Table(
        "| run | verdict | ok writes/s | write p50 | write p99 | write p50 (in node) | db writes/write | flush lag p99 | lost writes | replication msgs/s | unavailable |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        runDirectories,
        WritesRow);

    /// <summary>
    /// `compare --scale DIR...`: what a run's cost grows with (database requests, hit ratio, messages per
    /// write against the holders each write revoked, background messages per node per second), for runs
    /// at different cluster sizes side by side.
    /// </summary>
    public static string BuildScale(IEnumerable<string> runDirectories) => Table(
        "| run | verdict | ops/s | db requests/op | hit ratio | msgs/write | holders/write | 2·holders+4 | fill msgs/op | renew msgs/node/s | background msgs/node/s | read p50 | write p50 | unavailable |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        runDirectories,
        ScaleRow);

    /// <summary>
    /// `compare --sides DIR...`: what the nodes did while partitioned, added up over the run's partitions
    /// by kind of side (the larger side, more than half the nodes; the smaller one; none), against the
    /// same run's unpartitioned windows.
    /// </summary>
    public static string BuildSides(IEnumerable<string> runDirectories) => Table(
        "| run | side | ops | hit ratio | hit ratio, reachable homes | of unpartitioned | db requests/op |",
        "|---|---|---:|---:|---:|---:|---:|",
        runDirectories,
        SideRows);

    private static string SideRows(JsonObject r)
    {
        var nodes = r["options"]!["node_count"]!.GetValue<int>();
        var sides = (r["partition_sides"]?.AsArray() ?? []).Select(s => s!.AsObject()).ToList();
        string KindOf(JsonObject side)
        {
            var name = side["side"]!.GetValue<string>();
            if (name == PartitionSides.Unpartitioned)
            {
                return name;
            }

            var size = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return size * 2 > nodes ? "larger side" : "smaller side";
        }

        long Sum(IEnumerable<JsonObject> group, string counter) => group.Sum(s => s[counter]?.GetValue<long>() ?? 0);
        var groups = sides.GroupBy(KindOf).OrderBy(g => g.Key == PartitionSides.Unpartitioned ? 0 : g.Key == "larger side" ? 1 : 2).ToList();
        double? unpartitioned = groups.FirstOrDefault(g => g.Key == PartitionSides.Unpartitioned) is { } none && Sum(none, "reads") > 0
            ? (double)Sum(none, "hits") / Sum(none, "reads")
            : null;
        var rows = groups.Select(group =>
        {
            var (hits, reads, reachable, database) = (Sum(group, "hits"), Sum(group, "reads"), Sum(group, "reads_reachable_homes"), Sum(group, "db_requests"));
            var ops = group.Sum(s => s["ops"]?.GetValue<int>() ?? 0);
            double? onReachable = reachable > 0 ? (double)hits / reachable : null;
            var relative = group.Key != PartitionSides.Unpartitioned && onReachable is { } mine && unpartitioned is { } baseline && baseline > 0
                ? F($"{mine / baseline:P0}")
                : "–";
            return F($"| {Label(r)} | {group.Key} | {ops} | {(reads > 0 ? F($"{(double)hits / reads:P1}") : "–")} | {(onReachable is { } h ? F($"{h:P1}") : "–")} | {relative} | {(ops > 0 ? (double)database / ops : 0):0.000} |");
        });
        return string.Join(Environment.NewLine, rows);
    }

    private static string ScaleRow(JsonObject r)
    {
        var options = r["options"]!.AsObject();
        var between = r["between_nodes"]!.AsObject();
        var holders = between["holders_per_write"]?.GetValue<double>() ?? 0;
        string P50(string kind) => r["latency_ms"]?[kind]?["p50"]?.GetValue<double>() is { } p50 ? F($"{p50:0.0} ms") : "–";
        return F($"| {Label(r)} | {ReportWriter.VerdictWord(r["valid"]?.GetValue<bool>())} | {r["ops"]!.GetValue<int>() / options["time_limit_s"]!.GetValue<double>():0} | {r["messages"]!["db_requests_per_op"]!.GetValue<double>():0.000} | {(r["cache_hit_ratio"]?.GetValue<double>() is { } hit ? F($"{hit:P1}") : "–")} | {between["per_write"]?.GetValue<double>() ?? 0:0.00} | {holders:0.00} | {(2 * holders) + 4:0.00} | {between["fill_per_op"]?.GetValue<double>() ?? 0:0.00} | {between["renew_per_node_per_s"]?.GetValue<double>() ?? 0:0.0} | {between["background_per_node_per_s"]?.GetValue<double>() ?? 0:0.0} | {P50("read")} | {P50("write")} | {r["unavailable"]!.GetValue<double>():P1} |");
    }

    /// <summary>`compare --faults DIR...`: what each run proved under which faults (verdict, faults injected, lost writes).</summary>
    public static string BuildFaults(IEnumerable<string> runDirectories) => Table(
        "| run | seed | verdict | ops | ok | kills | pauses | partitions | keys not linearizable | lost writes |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        runDirectories,
        FaultsRow);

    private static string WritesRow(JsonObject r)
    {
        var options = r["options"]!.AsObject();
        var seconds = options["time_limit_s"]!.GetValue<double>();
        var latency = r["latency_ms"]!.AsObject();
        var writes = (latency["write"]?["count"]?.GetValue<int>() ?? 0) + (latency["cas"]?["count"]?.GetValue<int>() ?? 0);
        string Ms(string group, string quantile) => r[group]?["write"]?[quantile]?.GetValue<double>() is { } v ? F($"{v:0.00} ms") : "–";
        return F($"| {Label(r)} | {ReportWriter.VerdictWord(r["valid"]?.GetValue<bool>())} | {writes / seconds:0} | {Ms("latency_ms", "p50")} | {Ms("latency_ms", "p99")} | {Ms("node_time_ms", "p50")} | {r["db_writes_per_write"]?.GetValue<double>() ?? 0:0.000} | {(r["flush_lag_p99_ms"]?.GetValue<long>() is { } lag ? F($"{lag} ms") : "–")} | {(r["lost_writes"]?.GetValue<int>() is { } lost ? lost.ToString(CultureInfo.InvariantCulture) : "not checked")} | {r["replication_per_s"]?.GetValue<double>() ?? 0:0} | {r["unavailable"]!.GetValue<double>():P1} |");
    }

    private static string FaultsRow(JsonObject r)
    {
        var events = (r["nemesis_events"]?.AsArray() ?? []).Select(e => e!["event"]!.GetValue<string>()).ToList();
        // A partition that cuts nothing (a minority third of 3 nodes) is no fault; healing is not one either.
        int Count(string prefix) => events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal)
            && !e.Contains("nothing is cut", StringComparison.Ordinal) && !e.StartsWith("partition healed", StringComparison.Ordinal));
        var badKeys = (r["details"]?.AsArray() ?? []).Count(d => d!.GetValue<string>().Contains("is not linearizable", StringComparison.Ordinal));
        var seed = r["options"]!["seed"]?.ToString() ?? "–";
        var lost = r["lost_writes"]?.GetValue<int>() is { } l ? l.ToString(CultureInfo.InvariantCulture) : "not checked";
        return F($"| {Label(r)} | {seed} | {ReportWriter.VerdictWord(r["valid"]?.GetValue<bool>())} | {r["ops"]!.GetValue<int>()} | {r["availability"]!.GetValue<double>():P1} | {Count("killed")} | {Count("paused")} | {Count("partition ")} | {badKeys} | {lost} |");
    }

    private static string Table(string header, string separator, IEnumerable<string> runDirectories, Func<JsonObject, string> row)
    {
        var text = new StringBuilder();
        text.AppendLine(header);
        text.AppendLine(separator);
        foreach (var directory in runDirectories)
        {
            text.AppendLine(row(JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "results.json")))!.AsObject()));
        }

        return text.ToString();
    }

    private static string Label(JsonObject r)
    {
        var options = r["options"]!.AsObject();
        var env = options["node_env"]!.AsObject();
        var name = env["CACHENODE_STRATEGY"]?.GetValue<string>() ?? "write-through";
        var nemesis = options["nemesis"]!.GetValue<string>();
        var delay = env["CACHENODE_WRITE_DELAY_MS"]?.GetValue<string>() is { } d && name == "write-behind" ? $", write_delay {d} ms" : string.Empty;
        return $"{name}, {options["node_count"]} nodes{delay}{(nemesis.Length > 0 ? ", " + nemesis : string.Empty)}";
    }

    private static string Row(JsonObject r)
    {
        var options = r["options"]!.AsObject();
        var label = Label(r);
        var ops = r["ops"]!.GetValue<int>();
        var seconds = options["time_limit_s"]!.GetValue<double>();
        var between = r["between_nodes"]!.AsObject();
        string Ms(string group, string kind, string quantile) => r[group]?[kind]?[quantile]?.GetValue<double>() is { } v ? F($"{v:0.00} ms") : "–";
        return F($"| {label} | {ReportWriter.VerdictWord(r["valid"]?.GetValue<bool>())} | {ops / seconds:0} | {r["availability"]!.GetValue<double>():P1} | {r["unavailable"]!.GetValue<double>():P1} | {r["messages"]!["db_requests_per_op"]!.GetValue<double>():0.000} | {(r["cache_hit_ratio"]?.GetValue<double>() is { } hit ? F($"{hit:P1}") : "–")} | {Ms("latency_ms", "read", "p50")} | {Ms("node_time_ms", "read", "p50")} | {Ms("latency_ms", "write", "p50")} | {r["worst_write_ms"]!.GetValue<double>():0} ms | {between["invalidation_per_write"]!.GetValue<double>():0.00} | {between["lease_per_s"]!.GetValue<double>():0} | {between["forward_per_op"]!.GetValue<double>():0.00} |");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
