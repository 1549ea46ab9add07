using System.Globalization;
using System.Text;
using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// A run's index.html, in the order a person reads a failed run: the verdict; what ran (strategy, node
/// settings with testing flags in red, the command that runs it again); each counterexample, drawn and
/// listed; then the key figures and the plots. XHTML-compatible markup, so tests can parse it as XML.
/// </summary>
internal static class ReportPage
{
    private const string Red = "#c62828";

    public static string Html(RunResult result, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(summary);
        var options = result.Options;
        var title = RunDescription.Title(options);
        var unsafeFlags = RunDescription.UnsafeFlags(options.NodeEnvironment);
        var verdict = result.Crashes.Count > 0 ? "CRASHED" : ReportWriter.VerdictWord(result.Valid);
        var color = result.Valid switch { true => "#2e7d32", false => Red, _ => "#ef8f00" };
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>");
        html.Append(F($"<title>{E(verdict)} · {E(title)}</title><style>"));
        html.Append("body{font-family:sans-serif;margin:2em;max-width:960px}td,th{padding:2px 10px;text-align:left;vertical-align:top}");
        html.Append(F($".verdict{{font-size:1.6em;font-weight:bold;color:{color}}}.unsafe{{color:{Red};font-weight:bold}}.warn{{color:{Red}}}"));
        html.Append("pre,code.cmd{background:#f5f5f5;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;display:block}");
        html.Append(".ran th{color:#555;font-weight:normal;white-space:nowrap}table.ops{border-collapse:collapse;font-size:0.9em}table.ops td,table.ops th{border-bottom:1px solid #eee}");
        html.Append(F($"tr.bad td{{background:#ffebee;color:{Red};font-weight:bold}}section.counterexample{{border-left:4px solid {Red};padding-left:12px;margin:1.5em 0}}svg{{max-width:100%;height:auto}}"));
        html.Append("</style></head><body>\n");

        html.Append(F($"<h1>{E(title)}</h1>\n<p class=\"verdict\">{E(verdict)}: {E(result.Verdict.Summary)}</p>\n"));
        foreach (var flag in unsafeFlags)
        {
            html.Append(F($"<p class=\"unsafe\">Testing flag: {E(flag.Key)}={E(flag.Value)} switches a safety mechanism off on purpose; a violation here was asked for.</p>\n"));
        }

        foreach (var crash in result.Crashes)
        {
            html.Append(F($"<pre class=\"warn\">Crash: {E(crash)}</pre>\n"));
        }

        foreach (var failure in result.Failures)
        {
            html.Append(F($"<pre class=\"warn\">Run failure: {E(failure)}</pre>\n"));
        }

        html.Append("<p><a href=\"timeline.html\">Timeline of every operation</a> · <a href=\"../../index.html\">all runs in this store</a></p>\n");
        WhatRan(html, result);
        Counterexamples(html, result);

        html.Append("<h2>Key figures</h2><table>");
        foreach (var line in summary.Lines())
        {
            html.Append(F($"<tr><td>{E(line)}</td></tr>"));
        }

        html.Append(F($"<tr><td>run {result.Duration.TotalSeconds:0.0} s; check {result.CheckDuration.TotalSeconds:0.00} s; runner CPU {result.RunnerCpuSeconds:0.0} s vs nodes CPU {result.NodesCpuSeconds:0.0} s</td></tr></table>\n"));
        html.Append("""
            <h2>Latency of every operation</h2><p>Each dot is one operation: green ok, red definite failure, orange indeterminate (timeout). Grey bands are faults.</p>
            <img src="latency.svg" alt="latency scatter"/>
            <h2>Throughput and latency quantiles</h2><img src="rate.svg" alt="rate and quantiles"/>

            """);

        html.Append("<h2>Faults</h2><ul>");
        foreach (var e in result.NemesisEvents)
        {
            html.Append(F($"<li>{e.TimeMs / 1000:0.00} s: {E(e.Description)}</li>"));
        }

        html.Append("</ul>\n<h2>Files</h2><ul><li><a href=\"timeline.html\">timeline.html</a></li><li><a href=\"results.json\">results.json</a></li><li><a href=\"history.jsonl\">history.jsonl</a></li><li><a href=\"messages.jsonl\">messages.jsonl</a></li>");
        foreach (var node in options.NodeIds)
        {
            html.Append(F($"<li><a href=\"node-logs/{E(node)}.log\">node-logs/{E(node)}.log</a></li>"));
        }

        html.Append("</ul></body></html>\n");
        return html.ToString();
    }

    private static void WhatRan(StringBuilder html, RunResult result)
    {
        var o = result.Options;
        html.Append("<h2>What ran</h2><table class=\"ran\">");
        void Row(string name, string valueHtml) => html.Append(F($"<tr><th>{E(name)}</th><td>{valueHtml}</td></tr>"));
        Row("strategy", E(RunDescription.Strategy(o) is { } s ? s + (o.NodeEnvironment.ContainsKey("CACHENODE_STRATEGY") ? string.Empty : " (the node's default)") : "n/a (not CacheNode)"));
        var settings = new StringBuilder();
        foreach (var (name, value) in o.NodeEnvironment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            settings.Append(RunDescription.IsUnsafeFlag(name, value)
                ? F($"<span class=\"unsafe\">{E(name)}={E(value)} (testing flag)</span><br/>")
                : F($"{E(name)}={E(value)}<br/>"));
        }

        Row("node settings", settings.Length > 0 ? settings.ToString() : "none (the node's defaults)");
        Row("node program", E(string.Join(" ", [o.Bin, .. o.BinArgs])));
        Row("nodes", E(F($"{o.NodeCount}: {string.Join(", ", o.NodeIds)}")));
        Row("workload", E(o.Workload + (o.UniformKeys is { } keys ? F($", {keys} keys at random (read ratio {o.ReadRatio}, skew {o.KeySkew})") : o.Workload == "lin-kv" ? ", Jepsen's independent keys" : string.Empty)));
        Row("nemesis", E(o.Nemesis.Count == 0 ? "none" : F($"{string.Join(",", o.Nemesis.Order(StringComparer.Ordinal))}, every {o.NemesisIntervalSeconds} s on average")));
        Row("seed", E(o.Seed.ToString(CultureInfo.InvariantCulture)));
        Row("rate", E(F($"{o.Rate} ops/s, concurrency {o.ConcurrencySpec} ({o.Concurrency} clients)")));
        Row("time limit", E(F($"{o.TimeLimitSeconds} s")));
        Row("latency", E(F($"{o.LatencyMs} ms, {o.LatencyDistribution.ToString().ToLowerInvariant()}")));
        if (o.Extensions.Count > 0)
        {
            Row("runner-only options", E(string.Join(" ", o.Extensions)));
        }

        if (o.IgnoredOptions.Count > 0)
        {
            Row("accepted without effect", E(string.Join(" ", o.IgnoredOptions)));
        }

        html.Append("</table>\n<p>To run it again (from the repository root):</p>");
        html.Append(F($"<code class=\"cmd\">{E(RunDescription.CommandLine(o))}</code>\n"));
    }

    private static void Counterexamples(StringBuilder html, RunResult result)
    {
        var counterexamples = result.Verdict.Counterexamples;
        var explained = counterexamples.Select(c => $"key {c.Key} is not linearizable").ToList();
        var otherDetails = result.Verdict.Details.Where(d => !explained.Any(prefix => d.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        if (counterexamples.Count == 0 && otherDetails.Count == 0)
        {
            return;
        }

        html.Append("<h2>Why it is not valid</h2>\n");
        var records = result.History.DistinctBy(r => r.Id).ToDictionary(r => r.Id);
        foreach (var counterexample in counterexamples)
        {
            Counterexample(html, counterexample, records);
        }

        foreach (var detail in otherDetails)
        {
            html.Append(F($"<pre>{E(detail)}</pre>\n"));
        }
    }

    private static void Counterexample(StringBuilder html, CheckResult result, IReadOnlyDictionary<int, OpRecord> records)
    {
        html.Append(F($"<section class=\"counterexample\" id=\"key-{E(result.Key)}\"><h3>Key {E(result.Key)} is not linearizable</h3>\n"));
        html.Append(F($"<pre>{E(result.Explanation)}</pre>\n"));
        html.Append(CounterexamplePicture.Svg(result, records)).Append('\n');
        html.Append("<table class=\"ops\"><tr><th>op</th><th>process</th><th>client → node</th><th>operation</th><th>invoked (ms)</th><th>completed (ms)</th><th>outcome</th></tr>\n");
        foreach (var op in result.Slice)
        {
            var bad = result.Culprit is { } culprit && culprit.Id == op.Id;
            var outcome = records.TryGetValue(op.Id, out var record) ? OperationText.Outcome(record) : op.Status.ToString().ToLowerInvariant();
            var route = record is null ? "?" : $"{record.Client} → {record.Node}";
            var what = record is null ? op.ToString() : OperationText.Operation(record);
            var completed = record is null || op.Status == OpStatus.Info ? "(no reply)" : OperationText.Ms(record.CompleteNanos);
            html.Append(F($"<tr class=\"{(bad ? "bad" : OperationText.StatusClass(record ?? Placeholder(op)))}\" data-op=\"{op.Id}\"><td><a href=\"timeline.html#op-{op.Id}\">#{op.Id}</a></td><td>{op.Process}</td><td>{E(route)}</td><td>{E(what)}</td><td>{OperationText.Ms(op.Invoke)}</td><td>{E(completed)}</td><td>{E(outcome)}{(bad ? " — cannot be linearized" : string.Empty)}</td></tr>\n"));
        }

        html.Append("</table></section>\n");
    }

    private static OpRecord Placeholder(Operation op) =>
        new(op.Id, op.Process, "?", "?", op.Kind, op.Key, op.Value, op.From, op.Invoke, op.Invoke, op.Status, null, null, false);

    private static string E(string text) => OperationText.Html(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
