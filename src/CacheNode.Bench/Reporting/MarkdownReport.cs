using System.Globalization;
using System.Text;
using CacheNode.Bench.Running;

namespace CacheNode.Bench.Reporting;

/// <summary>Renders a <see cref="BenchReport"/> as the Markdown that goes into README.md.</summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchReport report)
    {
        var text = new StringBuilder();
        var machine = report.Machine;
        text.AppendLine("### Benchmark");
        text.AppendLine();
        text.AppendLine(Invariant, $"Machine: {machine.Processors} CPUs (nproc), {machine.Cpu}; {machine.Os}; .NET SDK {machine.DotnetSdk}. Taken {machine.Taken:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine(Invariant, $"Each request file reaches the command through a pipe the bench writes (\"pipe\") or as its stdin (\"redirect\", `cmd < FILE`). \"best s\" runs from spawn to exit, start-up included; \"warm\" runs from the first reply (`init_ok`) to the last, start-up left out. Best of {report.Repeats} runs (median alongside). \"vs cat\" and \"vs peer\" are ratios of requests/s with the same feed: the ceiling is `cat FILE`.");
        text.AppendLine();
        text.AppendLine("| workload | command | feed | requests | best s | median s | requests/s | warm requests/s | vs cat | vs peer | vs peer, warm |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in report.Throughput)
        {
            AppendThroughputRow(text, row, report.Throughput);
        }

        text.AppendLine();
        text.AppendLine(Invariant, $"| start-up: spawn to init_ok ({report.StartupRuns} spawns) | median ms | p90 ms | idle RSS MiB (median) |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var row in report.Startup)
        {
            text.AppendLine(row.Failed
                ? $"| {Cell(row.Command)} | FAILED | FAILED | |"
                : string.Create(Invariant, $"| {Cell(row.Command)} | {row.MedianMs:F1} | {row.P90Ms:F1} | {row.MedianIdleRssMiB:F1} |"));
        }

        text.AppendLine();
        var rss = report.PeakRssBytes is { } bytes ? string.Create(Invariant, $"{bytes / (1024.0 * 1024.0):F1} MiB") : "not measured";
        text.AppendLine(Invariant, $"Peak RSS (VmHWM) of {report.PeakRssCommand} on the mixed workload, read after its last reply (highest of {report.Repeats} runs): {rss}.");

        var problems = report.Throughput.SelectMany(t => t.Problems.Select(p => $"{t.Workload} / {t.Command.Label}: {p}"))
            .Concat(report.Startup.SelectMany(s => s.Problems.Select(p => $"start-up / {s.Command}: {p}")))
            .ToList();
        if (problems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Failures:**");
            text.AppendLine();
            foreach (var problem in problems)
            {
                text.AppendLine($"- {problem}");
            }
        }

        return text.ToString();
    }

    private static void AppendThroughputRow(StringBuilder text, ThroughputResult row, IReadOnlyList<ThroughputResult> all)
    {
        var requests = row.Requests.ToString("N0", Invariant);
        var feed = row.Command.Feed;
        if (row.Failed)
        {
            text.AppendLine($"| {row.Workload} | {Cell(row.Command.Label)} | {feed} | {requests} | FAILED | | | | | | |");
            return;
        }

        var cat = Find(all, row, CommandRole.PipeCeiling);
        var peer = Find(all, row, CommandRole.Peer);
        var vsCat = row.Command.Role == CommandRole.PipeCeiling ? "1×" : Ratio(row.RequestsPerSecond, cat?.RequestsPerSecond);
        var isNode = row.Command.Role == CommandRole.CacheNode;
        var vsPeer = isNode ? Ratio(row.RequestsPerSecond, peer?.RequestsPerSecond) : "";
        var vsPeerWarm = isNode ? Ratio(row.WarmRequestsPerSecond, peer?.WarmRequestsPerSecond) : "";
        var warm = double.IsNaN(row.WarmRequestsPerSecond) ? "" : row.WarmRequestsPerSecond.ToString("N0", Invariant);
        text.AppendLine(string.Create(Invariant,
            $"| {row.Workload} | {Cell(row.Command.Label)} | {feed} | {requests} | {row.BestSeconds:F3} | {row.MedianSeconds:F3} | {row.RequestsPerSecond:N0} | {warm} | {vsCat} | {vsPeer} | {vsPeerWarm} |"));
    }

    // The baseline for a row: the same workload, fed the same way.
    private static ThroughputResult? Find(IReadOnlyList<ThroughputResult> all, ThroughputResult row, CommandRole role) =>
        all.FirstOrDefault(t => t.Workload == row.Workload && t.Command.Feed == row.Command.Feed && t.Command.Role == role && !t.Failed);

    private static string Ratio(double value, double? baseline) =>
        baseline is not { } b || double.IsNaN(value) || double.IsNaN(b) ? "" : string.Create(Invariant, $"{value / b:F3}×");

    // A pipe inside a command would end the table cell.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
