using System.Globalization;
using System.Text;
using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Report;

/// <summary>
/// A key that is not linearizable, drawn the way Maelstrom's linear.svg and Porcupine draw one: the checker's
/// slice of that key's history as bars along the order of its events, one row per client process, and the
/// operation that cannot be linearized in red and labelled. Indeterminate operations run to the right edge: they may take
/// effect at any time after their invocation.
/// </summary>
internal static class CounterexamplePicture
{
    private const int Width = 900;
    private const int Left = 120;
    private const int Right = 30;
    private const int Top = 44;
    private const int RowHeight = 38;
    private const int BarHeight = 16;
    private const int AxisHeight = 70;
    private const string BadLabel = "cannot be linearized";

    /// <summary>The SVG for one invalid key; <paramref name="records"/> gives each operation's client and node, by id.</summary>
    public static string Svg(CheckResult result, IReadOnlyDictionary<int, OpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(records);
        var ops = result.Slice.Select(op => records.TryGetValue(op.Id, out var record) ? record : Fallback(op)).ToList();
        var processes = ops.Select(op => op.Process).Distinct().Order().ToList();
        // Porcupine's and Knossos' axis: invocations and completions in time order, evenly spaced. What matters
        // is which operations overlap, and on a linear scale a 1 ms operation in a 4 s slice is a hairline.
        var events = ops.Select(op => op.InvokeNanos)
            .Concat(ops.Where(op => op.Status != OpStatus.Info).Select(op => op.CompleteNanos))
            .Distinct().Order().ToList();
        var slot = (double)(Width - Left - Right) / (events.Count + 1);
        var height = Top + (processes.Count * RowHeight) + AxisHeight;
        double X(long nanos) => Left + ((events.BinarySearch(nanos) + 0.5) * slot);

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"counterexample-picture\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\">"));
        svg.Append(F($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.Append(F($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">Key {E(result.Key)}: the operations around the one that cannot be linearized</text>"));
        Legend(svg);
        Axis(svg, events, Top + (processes.Count * RowHeight), X);

        for (var row = 0; row < processes.Count; row++)
        {
            var y = Top + (row * RowHeight);
            var first = ops.First(op => op.Process == processes[row]);
            svg.Append(F($"<text x=\"{Left - 8}\" y=\"{y + 14 + BarHeight - 4}\" font-size=\"11\" text-anchor=\"end\">process {processes[row]}</text>"));
            svg.Append(F($"<text x=\"{Left - 8}\" y=\"{y + 14 + BarHeight + 8}\" font-size=\"9\" fill=\"#666\" text-anchor=\"end\">{E(first.Client)} → {E(first.Node)}</text>"));
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{y + RowHeight - 2}\" x2=\"{Width - Right}\" y2=\"{y + RowHeight - 2}\" stroke=\"#f0f0f0\"/>"));
        }

        foreach (var op in ops)
        {
            var bad = result.Culprit is { } culprit && culprit.Id == op.Id;
            var y = Top + (processes.IndexOf(op.Process) * RowHeight) + 14;
            var x1 = X(op.InvokeNanos);
            var x2 = op.Status == OpStatus.Info ? Width - Right : Math.Max(x1 + 3, X(op.CompleteNanos));
            var (fill, stroke, cls) = bad ? ("#ef9a9a", "#c62828", "op bad")
                : op.Status == OpStatus.Info ? ("#fff59d", "#f9a825", "op info")
                : ("#bbdefb", "#1565c0", "op ok");
            var dash = op.Status == OpStatus.Info ? " stroke-dasharray=\"4 3\"" : string.Empty;
            svg.Append(F($"<g class=\"{cls}\" data-op=\"{op.Id}\"><title>{E(OperationText.Full(op) + (bad ? "; " + BadLabel : string.Empty))}</title>"));
            svg.Append(F($"<rect x=\"{x1:0.0}\" y=\"{y}\" width=\"{x2 - x1:0.0}\" height=\"{BarHeight}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(bad ? 2 : 1)}\"{dash}/>"));
            svg.Append(F($"<text x=\"{x1 + 3:0.0}\" y=\"{y - 3}\" font-size=\"10\" fill=\"{(bad ? "#c62828" : "#333")}\">{E($"#{op.Id} {OperationText.Short(op)} @{op.Node}")}</text>"));
            if (bad)
            {
                // Beside the bar, on whichever side has room.
                var rightRoom = Width - Right - x2;
                var (labelX, anchor) = rightRoom > 130 ? (x2 + 6, "start") : (x1 - 6, "end");
                svg.Append(F($"<text class=\"bad-label\" x=\"{labelX:0.0}\" y=\"{y + 12}\" font-size=\"11\" font-weight=\"bold\" fill=\"#c62828\" text-anchor=\"{anchor}\">✗ {BadLabel}</text>"));
            }

            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Legend(StringBuilder svg)
    {
        var x = Left;
        foreach (var (label, fill, stroke) in new[] { ("ok", "#bbdefb", "#1565c0"), ("indeterminate (no reply: may take effect any time after)", "#fff59d", "#f9a825"), (BadLabel, "#ef9a9a", "#c62828") })
        {
            svg.Append(F($"<rect x=\"{x}\" y=\"24\" width=\"12\" height=\"9\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{x + 16}\" y=\"32\" font-size=\"10\">{E(label)}</text>"));
            x += 40 + (label.Length * 5);
        }
    }

    private static void Axis(StringBuilder svg, IReadOnlyList<long> events, int y, Func<long, double> xOf)
    {
        svg.Append(F($"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Width - Right}\" y2=\"{y}\" stroke=\"#333\"/>"));
        foreach (var time in events)
        {
            var x = xOf(time);
            svg.Append(F($"<line x1=\"{x:0.0}\" y1=\"{Top}\" x2=\"{x:0.0}\" y2=\"{y + 4}\" stroke=\"#e3e3e3\" stroke-dasharray=\"2 3\"/>"));
            svg.Append(F($"<text x=\"{x:0.0}\" y=\"{y + 14}\" font-size=\"9\" text-anchor=\"end\" transform=\"rotate(-35 {x:0.0} {y + 14})\">{time / 1e6:0.000}</text>"));
        }

        svg.Append(F($"<text x=\"{(Width + Left) / 2}\" y=\"{y + AxisHeight - 6}\" font-size=\"11\" text-anchor=\"middle\">invocations and completions in time order, evenly spaced (ms since the test began)</text>"));
    }

    // The checker's own view, when the report has no record for an operation (never in a real run).
    private static OpRecord Fallback(Operation op) => new(
        op.Id, op.Process, "?", "?", op.Kind, op.Key, op.Value, op.From, op.Invoke,
        op.Status == OpStatus.Info ? op.Invoke : op.Complete, op.Status, null, null, false);

    private static string E(string text) => OperationText.Html(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
