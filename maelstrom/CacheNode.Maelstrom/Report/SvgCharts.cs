using System.Globalization;
using System.Text;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// The two pictures of a run, as plain SVG (no dependencies): every operation's latency over time,
/// coloured by outcome, with fault periods shaded; and throughput with latency quantiles per second.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 900;
    private const int Height = 360;
    private const int Left = 60;
    private const int Right = 45;
    private const int Top = 30;
    private const int Bottom = 40;

    public static string LatencyScatter(IReadOnlyList<OpRecord> history, IReadOnlyList<NemesisEvent> events, string title)
    {
        var ops = history.Where(r => !r.FinalRead).ToList();
        var maxSeconds = Math.Max(1, ops.Count == 0 ? 1 : ops.Max(r => r.InvokeNanos) / 1e9);
        var maxLatency = Math.Max(1, ops.Count == 0 ? 1 : ops.Max(r => r.LatencyMs));
        // The axis starts at the decade below the fastest operation, so the dots use the height.
        var floor = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(0.001, ops.Count == 0 ? 1 : ops.Min(r => r.LatencyMs)))));
        var svg = Begin(title);
        ShadeFaults(svg, events, maxSeconds);
        Axes(svg, maxSeconds, "time (s)", "latency (ms, log)", LogTicks(floor, maxLatency), value => Y(Math.Log10(Math.Max(value, floor)), Math.Log10(floor), Math.Log10(maxLatency * 1.2)));
        foreach (var op in ops)
        {
            var color = op.Status switch { OpStatus.Ok => "#2e7d32", OpStatus.Fail => "#c62828", _ => "#ef8f00" };
            var x = X(op.InvokeNanos / 1e9, maxSeconds);
            var y = Y(Math.Log10(Math.Max(op.LatencyMs, floor)), Math.Log10(floor), Math.Log10(maxLatency * 1.2));
            svg.Append(F($"<circle cx=\"{x:0.0}\" cy=\"{y:0.0}\" r=\"1.6\" fill=\"{color}\" fill-opacity=\"0.6\"/>"));
        }

        Legend(svg, [("ok", "#2e7d32"), ("fail", "#c62828"), ("info", "#ef8f00"), ("fault", "#90a4ae")]);
        return End(svg);
    }

    public static string RateAndQuantiles(IReadOnlyList<OpRecord> history, IReadOnlyList<NemesisEvent> events, string title)
    {
        var ops = history.Where(r => !r.FinalRead).ToList();
        var seconds = Math.Max(1, ops.Count == 0 ? 1 : (int)Math.Ceiling(ops.Max(r => r.InvokeNanos) / 1e9));
        var buckets = Enumerable.Range(0, seconds).Select(s => ops.Where(r => (int)(r.InvokeNanos / 1e9) == s).ToList()).ToList();
        var rates = buckets.Select(b => (double)b.Count).ToList();
        var quantiles = new[] { (0.5, "#1565c0"), (0.95, "#6a1b9a"), (0.99, "#ad1457") };
        var maxRate = Math.Max(1, rates.Max());
        var maxLatency = Math.Max(1, ops.Where(r => r.Status == OpStatus.Ok).Select(r => r.LatencyMs).DefaultIfEmpty(1).Max());
        var svg = Begin(title);
        ShadeFaults(svg, events, seconds);
        Axes(svg, seconds, "time (s)", "ops/s (bars); latency ms: lines, right axis", LinearTicks(maxRate), value => Y(value, 0, maxRate * 1.1));
        var barWidth = (double)(Width - Left - Right) / seconds;
        for (var s = 0; s < seconds; s++)
        {
            var y = Y(rates[s], 0, maxRate * 1.1);
            svg.Append(F($"<rect x=\"{Left + (s * barWidth) + 1:0.0}\" y=\"{y:0.0}\" width=\"{Math.Max(1, barWidth - 2):0.0}\" height=\"{Height - Bottom - y:0.0}\" fill=\"#cfd8dc\"/>"));
        }

        foreach (var (fraction, color) in quantiles)
        {
            var points = new StringBuilder();
            for (var s = 0; s < seconds; s++)
            {
                var sorted = buckets[s].Where(r => r.Status == OpStatus.Ok).Select(r => r.LatencyMs).Order().ToList();
                if (sorted.Count > 0)
                {
                    points.Append(F($"{Left + ((s + 0.5) * barWidth):0.0},{Y(Percentile.Of(sorted, fraction), 0, maxLatency * 1.1):0.0} "));
                }
            }

            svg.Append(F($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"/>"));
        }

        // The latency lines get their own scale, labelled on the right.
        foreach (var tick in LinearTicks(maxLatency))
        {
            svg.Append(F($"<text x=\"{Width - Right + 2}\" y=\"{Y(tick, 0, maxLatency * 1.1) + 3:0.0}\" font-size=\"10\" fill=\"#1565c0\">{tick:0.#}</text>"));
        }
        Legend(svg, [("ops/s", "#cfd8dc"), ("p50", "#1565c0"), ("p95", "#6a1b9a"), ("p99", "#ad1457")]);
        return End(svg);
    }

    private static StringBuilder Begin(string title)
    {
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\">"));
        svg.Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/><text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>"));
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void ShadeFaults(StringBuilder svg, IReadOnlyList<NemesisEvent> events, double maxSeconds)
    {
        double? start = null;
        foreach (var e in events)
        {
            var healing = e.Description.Contains("healed", StringComparison.Ordinal) || e.Description.StartsWith("resumed", StringComparison.Ordinal) || e.Description.StartsWith("restarted", StringComparison.Ordinal);
            if (!healing)
            {
                start = e.TimeMs / 1000;
            }
            else if (start is { } from)
            {
                Shade(svg, from, e.TimeMs / 1000, maxSeconds);
                start = null;
            }
        }

        if (start is { } open)
        {
            Shade(svg, open, maxSeconds, maxSeconds);
        }
    }

    private static void Shade(StringBuilder svg, double from, double to, double maxSeconds)
    {
        var x1 = X(from, maxSeconds);
        var x2 = X(Math.Min(to, maxSeconds), maxSeconds);
        svg.Append(F($"<rect x=\"{x1:0.0}\" y=\"{Top}\" width=\"{Math.Max(1, x2 - x1):0.0}\" height=\"{Height - Top - Bottom}\" fill=\"#90a4ae\" fill-opacity=\"0.25\"/>"));
    }

    private static void Axes(StringBuilder svg, double maxSeconds, string xLabel, string yLabel, IEnumerable<double> yTicks, Func<double, double> yOf)
    {
        svg.Append(F($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>"));
        svg.Append(F($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>"));
        var step = Math.Max(1, Math.Ceiling(maxSeconds / 10));
        for (var t = 0.0; t <= maxSeconds; t += step)
        {
            svg.Append(F($"<text x=\"{X(t, maxSeconds):0.0}\" y=\"{Height - Bottom + 15}\" font-size=\"10\" text-anchor=\"middle\">{t:0}</text>"));
        }

        foreach (var tick in yTicks)
        {
            var y = yOf(tick);
            svg.Append(F($"<line x1=\"{Left - 4}\" y1=\"{y:0.0}\" x2=\"{Width - Right}\" y2=\"{y:0.0}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{y + 3:0.0}\" font-size=\"10\" text-anchor=\"end\">{tick:0.##}</text>"));
        }

        svg.Append(F($"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 8}\" font-size=\"11\" text-anchor=\"middle\">{Escape(xLabel)}</text>"));
        svg.Append(F($"<text x=\"14\" y=\"{(Height - Bottom + Top) / 2}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(Height - Bottom + Top) / 2})\">{Escape(yLabel)}</text>"));
    }

    private static void Legend(StringBuilder svg, (string Label, string Color)[] items)
    {
        var x = Width - Right - (items.Length * 70);
        foreach (var (label, color) in items)
        {
            svg.Append(F($"<rect x=\"{x}\" y=\"{Top - 4}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{x + 14}\" y=\"{Top + 5}\" font-size=\"11\">{label}</text>"));
            x += 70;
        }
    }

    private static IEnumerable<double> LogTicks(double min, double max)
    {
        for (var tick = min; tick <= max * 1.2; tick *= 10)
        {
            yield return tick;
        }
    }

    private static IEnumerable<double> LinearTicks(double max)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1, max))));
        for (var tick = 0.0; tick <= max * 1.1; tick += step)
        {
            yield return tick;
        }
    }

    private static double X(double seconds, double maxSeconds) => Left + (seconds / maxSeconds * (Width - Left - Right));

    private static double Y(double value, double min, double max) => Height - Bottom - ((value - min) / Math.Max(1e-9, max - min) * (Height - Top - Bottom));

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
