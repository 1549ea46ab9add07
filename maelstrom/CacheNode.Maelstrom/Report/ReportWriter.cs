using System.Globalization;
using System.Text.Json.Nodes;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// Writes a run's report into its store directory: results.json, history.jsonl, latency.svg,
/// rate.svg, timeline.html and index.html (messages.jsonl and node-logs/ are written during the run).
/// </summary>
internal static class ReportWriter
{
    public static async Task WriteAsync(RunResult result, RunSummary summary)
    {
        var dir = result.StoreDirectory;
        await File.WriteAllTextAsync(Path.Combine(dir, "results.json"), Results(result, summary).ToJsonString(new() { WriteIndented = true }));
        await File.WriteAllLinesAsync(Path.Combine(dir, "history.jsonl"), result.History.Select(HistoryLine));
        var title = RunDescription.Title(result.Options);
        await File.WriteAllTextAsync(Path.Combine(dir, "latency.svg"), SvgCharts.LatencyScatter(result.History, result.NemesisEvents, "Latency of every operation: " + title));
        await File.WriteAllTextAsync(Path.Combine(dir, "rate.svg"), SvgCharts.RateAndQuantiles(result.History, result.NemesisEvents, "Throughput and latency quantiles per second"));
        await File.WriteAllTextAsync(Path.Combine(dir, "timeline.html"), TimelinePage.Html(result.History, result.NemesisEvents, title,
            result.Verdict.Counterexamples.Select(c => c.Culprit?.Id).OfType<int>().ToHashSet()));
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), ReportPage.Html(result, summary));
    }

    public static string VerdictWord(bool? valid) => valid switch
    {
        true => "VALID",
        false => "INVALID",
        _ => "UNKNOWN",
    };

    private static JsonObject Results(RunResult result, RunSummary summary)
    {
        var options = result.Options;
        return new JsonObject
        {
            ["valid"] = result.Valid,
            ["verdict"] = result.Verdict.Summary,
            ["details"] = new JsonArray([.. result.Verdict.Details.Select(d => JsonValue.Create(d))]),
            ["failures"] = new JsonArray([.. result.Failures.Select(f => JsonValue.Create(f))]),
            ["crashes"] = new JsonArray([.. result.Crashes.Select(f => JsonValue.Create(f))]),
            ["exit_code"] = result.ExitCode,
            ["warnings"] = new JsonArray([.. result.Warnings.Take(100).Select(w => JsonValue.Create(w))]),
            ["options"] = new JsonObject
            {
                ["workload"] = options.Workload,
                ["strategy"] = RunDescription.Strategy(options),
                ["command_line"] = RunDescription.CommandLine(options),
                ["bin"] = options.Bin,
                ["node_count"] = options.NodeCount,
                ["time_limit_s"] = options.TimeLimitSeconds,
                ["rate"] = options.Rate,
                ["concurrency"] = options.Concurrency,
                ["latency_ms"] = options.LatencyMs,
                ["latency_dist"] = options.LatencyDistribution.ToString().ToLowerInvariant(),
                ["nemesis"] = string.Join(",", options.Nemesis),
                ["nemesis_interval_s"] = options.NemesisIntervalSeconds,
                ["keys"] = options.UniformKeys is { } keys ? keys : "jepsen independent",
                ["read_ratio"] = options.UniformKeys is null ? null : options.ReadRatio,
                ["key_skew"] = options.UniformKeys is null ? null : options.KeySkew,
                ["final_reads"] = options.HasFinalPhase,
                ["node_checks"] = options.NodeChecks,
                ["runner_only"] = new JsonArray([.. options.Extensions.Select(e => JsonValue.Create(e))]),
                ["ignored"] = new JsonArray([.. options.IgnoredOptions.Select(e => JsonValue.Create(e))]),
                ["seed"] = options.Seed,
                ["node_env"] = new JsonObject([.. options.NodeEnvironment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            },
            ["ops"] = summary.Operations,
            ["ok"] = summary.Ok,
            ["fail"] = summary.Fail,
            ["info"] = summary.Info,
            ["availability"] = summary.Availability,
            ["latency_ms"] = new JsonObject([.. summary.LatencyByKind.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["p50"] = p.Value.P50, ["p99"] = p.Value.P99, ["count"] = p.Value.Count }))]),
            ["messages"] = new JsonObject
            {
                ["client_node"] = result.Messages.ClientNode,
                ["node_node"] = result.Messages.NodeNode,
                ["node_service"] = result.Messages.NodeService,
                ["node_to_service_requests"] = result.Messages.NodeToService,
                ["dropped"] = result.Messages.Dropped,
                ["client_node_per_op"] = summary.ClientNodeMessagesPerOp,
                ["node_node_per_op"] = summary.NodeNodeMessagesPerOp,
                ["node_service_per_op"] = summary.NodeServiceMessagesPerOp,
                ["db_requests_per_op"] = summary.DatabaseRequestsPerOp,
            },
            ["cache_hit_ratio"] = summary.CacheHitRatio,
            ["node_time_ms"] = new JsonObject([.. summary.NodeTimeByType.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["p50"] = p.Value.P50, ["p99"] = p.Value.P99 }))]),
            ["between_nodes"] = new JsonObject
            {
                ["by_type"] = new JsonObject([.. result.Messages.BetweenNodesByType.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
                ["invalidation_per_write"] = summary.InvalidationMessagesPerWrite,
                ["lease_per_s"] = summary.LeaseMessagesPerSecond,
                ["forward_per_op"] = summary.ForwardMessagesPerOp,
                ["fill_per_op"] = summary.FillMessagesPerOp,
                ["renew_per_node_per_s"] = summary.RenewMessagesPerNodePerSecond,
                ["per_write"] = summary.MessagesPerWrite,
                ["holders_per_write"] = summary.HoldersPerWrite,
                ["background_per_node_per_s"] = summary.BackgroundMessagesPerNodePerSecond,
            },
            ["partition_sides"] = PartitionSides.ToJson(summary.PartitionSides),
            ["unavailable"] = summary.Unavailable,
            ["worst_write_ms"] = summary.WorstWriteMs,
            ["replication_per_s"] = summary.ReplicationMessagesPerSecond,
            ["db_writes_per_write"] = summary.DatabaseWritesPerWrite,
            ["flush_lag_p99_ms"] = summary.FlushLagP99Ms,
            ["keys_read_back"] = summary.KeysReadBack,
            ["lost_writes"] = summary.KeysReadBack is null ? null : summary.LostWrites,
            ["node_stats"] = new JsonObject([.. result.NodeStats.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))]),
            ["nemesis_events"] = new JsonArray([.. result.NemesisEvents.Select(e => (JsonNode)new JsonObject { ["time_ms"] = e.TimeMs, ["event"] = e.Description })]),
            ["duration_s"] = result.Duration.TotalSeconds,
            ["check_s"] = result.CheckDuration.TotalSeconds,
            ["runner_cpu_s"] = result.RunnerCpuSeconds,
            ["nodes_cpu_s"] = result.NodesCpuSeconds,
        };
    }

    private static string HistoryLine(OpRecord r) => new JsonObject
    {
        ["id"] = r.Id,
        ["process"] = r.Process,
        ["client"] = r.Client,
        ["node"] = r.Node,
        ["f"] = r.Kind.ToString().ToLowerInvariant(),
        ["key"] = r.Key,
        ["value"] = r.Value,
        ["from"] = r.From,
        ["invoke_ms"] = Math.Round(r.InvokeNanos / 1e6, 3),
        ["complete_ms"] = Math.Round(r.CompleteNanos / 1e6, 3),
        ["type"] = r.Status.ToString().ToLowerInvariant(),
        ["error"] = r.ErrorCode,
        ["error_text"] = r.Error,
        ["final"] = r.FinalRead,
    }.ToJsonString();
}
