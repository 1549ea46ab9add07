using System.Globalization;
using System.Text;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// timeline.html, as Maelstrom's: one column per client process, one box per operation from its invocation
/// to its completion down a time axis, coloured by outcome, the whole operation in the box's hover title.
/// Plain absolutely positioned divs and no script, so a 60 s run with thousands of operations stays quick
/// and the page grows by one line per operation.
/// </summary>
internal static class TimelinePage
{
    private const int Gutter = 70;
    private const int ColumnWidth = 86;
    private const int HeaderHeight = 34;

    // Right of the columns: each fault's description, level with its start.
    private const int FaultLabelWidth = 260;
    // Tall enough for the label; a shorter operation's box overlaps the next one's a little, the hover still works.
    private const double MinBoxHeight = 10;

    // Room per operation of the busiest process, so a run's boxes are about a label apart wherever it ran
    // slowly or fast; bounded so a quiet run is not a mostly empty page and a long busy one still scrolls easily.
    private const double PixelsPerOperation = 16;
    private const double MinHeight = 1500;
    private const double MaxHeight = 60_000;
    private const double MaxPixelsPerMs = 2;

    /// <param name="cannotBeLinearized">Ids of the operations the checker could not linearize: outlined, so the
    /// counterexample can be found among thousands of boxes (each box's id is <c>op-ID</c>, for links).</param>
    public static string Html(IReadOnlyList<OpRecord> history, IReadOnlyList<NemesisEvent> events, string title, IReadOnlySet<int>? cannotBeLinearized = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(events);
        var processes = history.Select(op => op.Process).Distinct().Order().ToList();
        var column = processes.Select((process, index) => (process, index)).ToDictionary(p => p.process, p => p.index);
        var endMs = Math.Max(1, history.Count == 0 ? 1 : history.Max(op => op.CompleteNanos) / 1e6);
        var busiest = history.Count == 0 ? 0 : history.GroupBy(op => op.Process).Max(g => g.Count());
        var scale = Math.Min(MaxPixelsPerMs, Math.Clamp(busiest * PixelsPerOperation, MinHeight, MaxHeight) / endMs);
        var height = HeaderHeight + (endMs * scale) + 20;
        var columnsWidth = Gutter + (processes.Count * ColumnWidth) + 10;
        var width = columnsWidth + FaultLabelWidth;

        var html = new StringBuilder(256 * (history.Count + 20));
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>");
        html.Append(F($"<title>Timeline: {E(title)}</title>"));
        html.Append(F($$"""
            <style>
            body{font-family:sans-serif;margin:0}
            .head{padding:8px 16px}
            .head h1{font-size:1.2em;margin:4px 0}
            .key{display:inline-block;width:12px;height:10px;border:1px solid;margin:0 4px 0 12px;vertical-align:middle}
            .timeline{position:relative}
            .lanes{position:sticky;top:0;height:{{HeaderHeight}}px;background:#fafafa;border-bottom:1px solid #ccc;z-index:2}
            .lane{position:absolute;top:0;width:{{ColumnWidth - 4}}px;font-size:11px;text-align:center;padding-top:4px}
            .tick{position:absolute;left:0;border-top:1px solid #eee;font-size:10px;color:#666;padding-left:4px}
            .fault{position:absolute;left:{{Gutter}}px;background:#90a4ae;opacity:.18}
            .fault-label{position:absolute;font-size:10px;color:#455a64;width:{{FaultLabelWidth - 10}}px}
            .op{position:absolute;box-sizing:border-box;width:{{ColumnWidth - 6}}px;border:1px solid;border-radius:2px;font-size:9px;line-height:9px;overflow:hidden;white-space:nowrap;padding-left:2px}
            .op:hover{outline:2px solid #000;z-index:3}
            .ok{background:#c8e6c9;border-color:#2e7d32}
            .fail{background:#ffcdd2;border-color:#c62828}
            .info{background:#fff59d;border-color:#f9a825}
            .bad{outline:3px solid #c62828;z-index:2}
            .op:target{outline:3px solid #000}
            </style></head><body>
            """));
        html.Append(F($"<div class=\"head\"><h1>Timeline: {E(title)}</h1><p><a href=\"index.html\">back to the report</a> · {history.Count} operations in {processes.Count} processes; time runs down, {1 / scale:0.###} ms per pixel. "));
        html.Append("<span class=\"key ok\"></span>ok<span class=\"key fail\"></span>fail (definitely did not happen)<span class=\"key info\"></span>info (no definite answer)<span class=\"key\" style=\"background:#dde3e6;border-color:#90a4ae\"></span>fault");
        if (cannotBeLinearized is { Count: > 0 })
        {
            html.Append("<span class=\"key\" style=\"outline:3px solid #c62828\"></span>cannot be linearized");
        }

        html.Append(". Hover over a box for the whole operation.</p></div>\n");
        html.Append(F($"<div class=\"timeline\" style=\"width:{width}px;height:{height:0}px\"><div class=\"lanes\" style=\"width:{width}px\">"));
        foreach (var (process, index) in column)
        {
            var node = history.First(op => op.Process == process).Node;
            html.Append(F($"<div class=\"lane\" style=\"left:{Gutter + (index * ColumnWidth)}px\">process {process}<br/>{E(node)}</div>"));
        }

        html.Append("</div>\n");
        double Top(double ms) => HeaderHeight + (ms * scale);
        var step = TickStep(endMs, scale);
        for (var ms = 0.0; ms <= endMs; ms += step)
        {
            html.Append(F($"<div class=\"tick\" style=\"top:{Top(ms):0}px;width:{width}px\">{ms / 1000:0.###} s</div>\n"));
        }

        foreach (var (from, to, label) in FaultPeriods(events, endMs))
        {
            html.Append(F($"<div class=\"fault\" style=\"top:{Top(from):0}px;height:{Math.Max(1, (to - from) * scale):0}px;width:{columnsWidth - Gutter}px\" title=\"{E(label)}\"></div>"));
            html.Append(F($"<div class=\"fault-label\" style=\"top:{Top(from):0}px;left:{columnsWidth + 4}px\">{E(label)}</div>\n"));
        }

        foreach (var op in history)
        {
            var top = Top(op.InvokeNanos / 1e6);
            var boxHeight = Math.Max(MinBoxHeight, (op.CompleteNanos - op.InvokeNanos) / 1e6 * scale);
            var bad = cannotBeLinearized?.Contains(op.Id) == true;
            html.Append(F($"<div id=\"op-{op.Id}\" class=\"op {OperationText.StatusClass(op)}{(bad ? " bad" : string.Empty)}\" style=\"left:{Gutter + 2 + (column[op.Process] * ColumnWidth)}px;top:{top:0.#}px;height:{boxHeight:0.#}px\" title=\"{E(OperationText.Full(op) + (bad ? "; cannot be linearized" : string.Empty))}\">{E(OperationText.Short(op))}</div>\n"));
        }

        html.Append("</div></body></html>\n");
        return html.ToString();
    }

    /// <summary>Fault periods in ms: each event that is not a heal opens one, the next heal closes it.</summary>
    private static List<(double From, double To, string Label)> FaultPeriods(IReadOnlyList<NemesisEvent> events, double endMs)
    {
        var periods = new List<(double, double, string)>();
        (double From, string Label)? open = null;
        foreach (var e in events)
        {
            var healing = e.Description.Contains("healed", StringComparison.Ordinal) || e.Description.StartsWith("resumed", StringComparison.Ordinal) || e.Description.StartsWith("restarted", StringComparison.Ordinal);
            if (!healing)
            {
                if (open is { } previous)
                {
                    periods.Add((previous.From, e.TimeMs, previous.Label));
                }

                open = (e.TimeMs, e.Description);
            }
            else if (open is { } started)
            {
                periods.Add((started.From, e.TimeMs, started.Label));
                open = null;
            }
        }

        if (open is { } last)
        {
            periods.Add((last.From, endMs, last.Label));
        }

        return periods;
    }

    // About one tick every 100 pixels, at 1, 2 or 5 times a power of ten milliseconds.
    private static double TickStep(double endMs, double scale)
    {
        var rough = Math.Max(1, Math.Min(endMs, 100 / scale));
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var residual = rough / magnitude;
        return magnitude * (residual < 1.5 ? 1 : residual < 3.5 ? 2 : residual < 7.5 ? 5 : 10);
    }

    private static string E(string text) => OperationText.Html(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
