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
    public static string Build(IEnumerable<string> runDirectories)
    {
        var text = new StringBuilder();
        text.AppendLine("| run | verdict | ops/s | ok | unavailable | db requests/op | hit ratio | read p50 (client) | read p50 (in node) | write p50 | slowest ok write | invalidation msgs/write | lease msgs/s | forward msgs/op |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var directory in runDirectories)
        {
            var results = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "results.json")))!.AsObject();
            text.AppendLine(Row(results));
        }

        return text.ToString();
    }

    private static string Row(JsonObject r)
    {
        var options = r["options"]!.AsObject();
        var env = options["node_env"]!.AsObject();
        var name = env["CACHENODE_STRATEGY"]?.GetValue<string>() ?? "write-through";
        var nemesis = options["nemesis"]!.GetValue<string>();
        var label = $"{name}, {options["node_count"]} nodes{(nemesis.Length > 0 ? ", " + nemesis : string.Empty)}";
        var ops = r["ops"]!.GetValue<int>();
        var seconds = options["time_limit_s"]!.GetValue<double>();
        var between = r["between_nodes"]!.AsObject();
        string Ms(string group, string kind, string quantile) => r[group]?[kind]?[quantile]?.GetValue<double>() is { } v ? F($"{v:0.00} ms") : "–";
        return F($"| {label} | {ReportWriter.VerdictWord(r["valid"]?.GetValue<bool>())} | {ops / seconds:0} | {r["availability"]!.GetValue<double>():P1} | {r["unavailable"]!.GetValue<double>():P1} | {r["messages"]!["db_requests_per_op"]!.GetValue<double>():0.000} | {(r["cache_hit_ratio"]?.GetValue<double>() is { } hit ? F($"{hit:P1}") : "–")} | {Ms("latency_ms", "read", "p50")} | {Ms("node_time_ms", "read", "p50")} | {Ms("latency_ms", "write", "p50")} | {r["worst_write_ms"]!.GetValue<double>():0} ms | {between["invalidation_per_write"]!.GetValue<double>():0.00} | {between["lease_per_s"]!.GetValue<double>():0} | {between["forward_per_op"]!.GetValue<double>():0.00} |");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
