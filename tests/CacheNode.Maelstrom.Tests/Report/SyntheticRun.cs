using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using CacheNode.Maelstrom.Cli;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;
using CacheNode.Maelstrom.Net;
using CacheNode.Maelstrom.Run;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>
/// A finished lin-kv run built by hand, with no node started: a short history on key 0, checked by the real
/// checker, so the report shows what a real run would.
/// </summary>
internal static class SyntheticRun
{
    /// <summary>The stale read that makes <see cref="Invalid"/> invalid: it reads 1 after cas 1→2 completed.</summary>
    public const int StaleReadId = 6;

    public static RunnerOptions Options(params (string Name, string Value)[] environment) => new()
    {
        Bin = "scripts/cachenode",
        NodeCount = 3,
        Nemesis = new HashSet<string> { "partition" },
        Seed = 7,
        ConcurrencySpec = "2n",
        TimeLimitSeconds = 10,
        NodeEnvironment = environment.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
    };

    /// <summary>write 1, read 1, cas 1→2, a failed read, an indeterminate write 3, read 2: linearizable.</summary>
    public static List<OpRecord> ValidHistory() =>
    [
        Op(0, 0, "n0", OpKind.Write, 1, null, 0, 10),
        Op(1, 1, "n1", OpKind.Read, 1, null, 20, 25),
        Op(2, 2, "n2", OpKind.Cas, 2, 1, 30, 40),
        Op(3, 0, "n0", OpKind.Read, null, null, 45, 50, OpStatus.Fail, 11),
        Op(4, 3, "n0", OpKind.Write, 3, null, 60, 1060, OpStatus.Info),
        Op(5, 1, "n1", OpKind.Read, 2, null, 70, 75),
    ];

    /// <summary><see cref="ValidHistory"/> and then a read of 1 on n2 (<see cref="StaleReadId"/>).</summary>
    public static List<OpRecord> InvalidHistory() => [.. ValidHistory(), Op(StaleReadId, 2, "n2", OpKind.Read, 1, null, 80, 85)];

    public static RunResult Result(RunnerOptions options, IReadOnlyList<OpRecord> history, string storeDirectory = "store/lin-kv/20261202T010203.456") =>
        new(options, storeDirectory, history, LinKvVerdict.Of(history, null, CancellationToken.None), [], [],
            [new NemesisEvent(30, "partition majority: [n2] | [n0 n1]"), new NemesisEvent(70, "partition healed")],
            new MessageCounts(), new Dictionary<string, JsonObject?>(), TimeSpan.FromSeconds(1), TimeSpan.Zero, 0, 0);

    public static OpRecord Op(int id, int process, string node, OpKind kind, int? value, int? from, long invokeMs, long completeMs, OpStatus status = OpStatus.Ok, int? errorCode = null) =>
        new(id, process, "c" + (6 + (process % 6)), node, kind, "0", value, from, invokeMs * 1_000_000, completeMs * 1_000_000, status, errorCode,
            status == OpStatus.Ok ? null : "no reply in time", false);

    /// <summary>Parses a page as XML: the report pages are written XHTML-compatible for exactly this.</summary>
    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static string Class(XElement element) => (string?)element.Attribute("class") ?? string.Empty;

    public static bool HasClass(XElement element, string name) => Class(element).Split(' ').Contains(name);
}
