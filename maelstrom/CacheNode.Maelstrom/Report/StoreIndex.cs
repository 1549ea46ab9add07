using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// store/index.html: every run in the store, newest first, with what ran and its verdict, each linking to
/// its report. Rebuilt from the runs' results.json after every run, so it needs no state of its own and
/// a deleted run simply drops out; a run folder without results.json (the runner itself broke) is skipped.
/// </summary>
internal static class StoreIndex
{
    public const string FileName = "index.html";

    /// <summary>One run as listed.</summary>
    public sealed record Row(string RelativePath, DateTime? Time, string Workload, string Strategy, int? Nodes, string Nemesis, string Verdict, int? Operations, IReadOnlyList<string> UnsafeFlags);

    /// <summary>Writes store/index.html; a failure to write is the console's business, not the run's.</summary>
    public static async Task WriteAsync(string storeDirectory)
    {
        var temporary = Path.Combine(storeDirectory, $".{FileName}.{Environment.ProcessId}.tmp");
        await File.WriteAllTextAsync(temporary, Html(Rows(storeDirectory)));
        // Concurrent runs each write a whole page; renaming keeps a reader from seeing half of one.
        File.Move(temporary, Path.Combine(storeDirectory, FileName), overwrite: true);
    }

    /// <summary>Every run folder (store/&lt;workload&gt;/&lt;time&gt;/) that has a readable results.json, newest first.</summary>
    public static IReadOnlyList<Row> Rows(string storeDirectory)
    {
        var rows = new List<Row>();
        if (!Directory.Exists(storeDirectory))
        {
            return rows;
        }

        foreach (var workloadDirectory in new DirectoryInfo(storeDirectory).EnumerateDirectories())
        {
            // store/latest is a link to a run already listed under its workload.
            if (workloadDirectory.LinkTarget is not null)
            {
                continue;
            }

            foreach (var runDirectory in workloadDirectory.EnumerateDirectories())
            {
                if (ReadRow(storeDirectory, runDirectory) is { } row)
                {
                    rows.Add(row);
                }
            }
        }

        return [.. rows.OrderByDescending(r => r.Time ?? DateTime.MinValue).ThenByDescending(r => r.RelativePath, StringComparer.Ordinal)];
    }

    public static string Html(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>Runs in this store</title><style>");
        html.Append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eee;white-space:nowrap}td.strategy{white-space:normal}");
        html.Append("th{background:#fafafa}.VALID{color:#2e7d32;font-weight:bold}.INVALID{color:#c62828;font-weight:bold}.UNKNOWN,.CRASHED{color:#ef8f00;font-weight:bold}.unsafe{color:#c62828;font-weight:bold}");
        html.Append("</style></head><body>\n");
        html.Append(F($"<h1>Runs in this store</h1><p>{rows.Count} run(s), newest first. Rewritten after every run from each run's results.json.</p>\n"));
        html.Append("<table class=\"runs\"><thead><tr><th>time (UTC)</th><th>workload</th><th>strategy</th><th>nodes</th><th>nemesis</th><th>verdict</th><th>ops</th><th>report</th></tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            var link = row.RelativePath.Replace('\\', '/');
            var time = row.Time?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "?";
            var flags = row.UnsafeFlags.Count == 0 ? string.Empty : F($" <span class=\"unsafe\" title=\"testing flags\">{E(string.Join(", ", row.UnsafeFlags))}</span>");
            html.Append(F($"<tr><td>{time}</td><td>{E(row.Workload)}</td><td class=\"strategy\">{E(row.Strategy)}{flags}</td><td>{row.Nodes?.ToString(CultureInfo.InvariantCulture) ?? "?"}</td><td>{E(row.Nemesis)}</td>"));
            html.Append(F($"<td class=\"{row.Verdict}\">{row.Verdict}</td><td>{row.Operations?.ToString(CultureInfo.InvariantCulture) ?? "?"}</td><td><a href=\"{E(link)}/index.html\">{E(link)}</a></td></tr>\n"));
        }

        html.Append("</tbody></table></body></html>\n");
        return html.ToString();
    }

    private static Row? ReadRow(string storeDirectory, DirectoryInfo runDirectory)
    {
        var path = Path.Combine(runDirectory.FullName, "results.json");
        if (!File.Exists(path))
        {
            return null;
        }

        JsonObject results;
        try
        {
            results = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException)
        {
            // Half written by a run still finishing, or damaged: it is not a run to list.
            return null;
        }

        var options = results["options"] as JsonObject;
        var environment = options?["node_env"] as JsonObject;
        // Runs written before results.json named the strategy: the setting, else CacheNode's default.
        var strategy = Text(options?["strategy"]) ?? Text(environment?["CACHENODE_STRATEGY"])
            ?? (Text(options?["bin"]) is { } bin && Path.GetFileName(bin).Contains("cachenode", StringComparison.OrdinalIgnoreCase) ? "write-through" : "–");
        var unsafeFlags = environment?
            .Where(p => Text(p.Value) is { } value && RunDescription.IsUnsafeFlag(p.Key, value))
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToList() ?? [];
        var crashed = results["crashes"] is JsonArray { Count: > 0 };
        var valid = results["valid"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : (bool?)null;
        var nemesis = Text(options?["nemesis"]) is { Length: > 0 } faults ? faults : "none";
        return new Row(
            Path.GetRelativePath(storeDirectory, runDirectory.FullName),
            TimeOf(runDirectory),
            Text(options?["workload"]) ?? runDirectory.Parent?.Name ?? "?",
            strategy,
            options?["node_count"] is JsonValue n && n.TryGetValue<int>(out var nodes) ? nodes : null,
            nemesis,
            crashed ? "CRASHED" : ReportWriter.VerdictWord(valid),
            results["ops"] is JsonValue o && o.TryGetValue<int>(out var ops) ? ops : null,
            unsafeFlags);
    }

    // The folder is named for the run's start (UTC), as the runner creates it; else its last write.
    private static DateTime? TimeOf(DirectoryInfo runDirectory) =>
        DateTime.TryParseExact(runDirectory.Name, "yyyyMMdd'T'HHmmss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : runDirectory.LastWriteTimeUtc;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string E(string text) => OperationText.Html(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
