using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Nemesis;
using CacheNode.Maelstrom.Report;
using static CacheNode.Maelstrom.Tests.Report.SyntheticRun;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>timeline.html: one column per process, one box per operation, coloured by outcome.</summary>
public sealed partial class TimelinePageTests
{
    [Fact]
    public void Every_operation_is_one_box_with_its_status_class_and_the_whole_operation_in_its_title()
    {
        var history = InvalidHistory();
        var boxes = Boxes(Page(history));

        boxes.Should().HaveCount(history.Count);
        boxes.Count(b => HasClass(b, "ok")).Should().Be(history.Count(r => r.Status == OpStatus.Ok));
        boxes.Count(b => HasClass(b, "fail")).Should().Be(1);
        boxes.Count(b => HasClass(b, "info")).Should().Be(1);
        foreach (var op in history)
        {
            boxes.Should().ContainSingle(b => Title(b).StartsWith($"#{op.Id} process {op.Process} (client {op.Client} → node {op.Node})", StringComparison.Ordinal));
        }

        Title(boxes.Single(b => HasClass(b, "info"))).Should().Contain("write key 0 := 3").And.Contain("no definite answer").And.Contain("invoked 60.000 ms");
        Title(boxes.Single(b => HasClass(b, "fail"))).Should().Contain("error 11");
    }

    [Fact]
    public void Each_process_has_a_column_and_its_boxes_sit_in_it()
    {
        var history = InvalidHistory();
        var page = Page(history);
        var lanes = page.Descendants("div").Where(d => HasClass(d, "lane")).ToList();

        lanes.Select(l => l.Nodes().OfType<XText>().First().Value).Should().Equal("process 0", "process 1", "process 2", "process 3");
        var laneLeft = lanes.ToDictionary(l => l.Nodes().OfType<XText>().First().Value, l => Style(l, "left"));
        foreach (var box in Boxes(page))
        {
            var process = Regex.Match(Title(box), @"process (\d+)").Groups[1].Value;
            Style(box, "left").Should().Be(laneLeft["process " + process] + 2);
        }
    }

    [Fact]
    public void Boxes_run_from_invocation_to_completion_down_the_page()
    {
        var boxes = Boxes(Page(InvalidHistory()));
        double Top(int id) => Style(boxes.Single(b => Title(b).StartsWith($"#{id} ", StringComparison.Ordinal)), "top");
        double Height(int id) => Style(boxes.Single(b => Title(b).StartsWith($"#{id} ", StringComparison.Ordinal)), "height");

        Top(2).Should().BeGreaterThan(Top(1));
        Top(StaleReadId).Should().BeGreaterThan(Top(5));
        Height(4).Should().BeGreaterThan(Height(2) * 10, "the write with no reply was open for 1000 ms, the cas for 10 ms");
    }

    [Fact]
    public void The_operation_that_cannot_be_linearized_is_outlined_and_every_box_can_be_linked_to()
    {
        var history = InvalidHistory();
        var page = Parse(TimelinePage.Html(history, [], "t", new HashSet<int> { StaleReadId }));
        var boxes = Boxes(page);

        boxes.Where(b => HasClass(b, "bad")).Select(b => (string?)b.Attribute("id")).Should().Equal($"op-{StaleReadId}");
        Title(boxes.Single(b => HasClass(b, "bad"))).Should().EndWith("cannot be linearized");
        boxes.Select(b => (string?)b.Attribute("id")).Should().OnlyHaveUniqueItems().And.HaveCount(history.Count);
        Boxes(Page(history)).Where(b => HasClass(b, "bad")).Should().BeEmpty("nothing is marked unless the checker says so");
    }

    [Fact]
    public void Faults_are_shaded_with_their_description()
    {
        var faults = Page(InvalidHistory()).Descendants("div").Where(d => HasClass(d, "fault")).ToList();

        faults.Should().ContainSingle().Which.Attribute("title")!.Value.Should().Be("partition majority: [n2] | [n0 n1]");
    }

    [Fact]
    public void Values_are_escaped_so_the_page_stays_well_formed()
    {
        List<OpRecord> history = [Op(0, 0, "n<0>&\"", OpKind.Write, 1, null, 0, 10)];

        var page = Parse(TimelinePage.Html(history, [], "a <title> & more"));

        Title(Boxes(page).Single()).Should().Contain("node n<0>&\"");
        page.Descendants("title").Single().Value.Should().Be("Timeline: a <title> & more");
    }

    [Fact]
    public void A_long_busy_run_grows_the_page_by_a_line_per_operation()
    {
        // 60 s, 6 processes, 6000 operations: what a minute at rate 100 gives.
        var history = Enumerable.Range(0, 6000)
            .Select(i => Op(i, i % 6, "n" + (i % 3).ToString(CultureInfo.InvariantCulture), OpKind.Read, i % 5, null, i * 10, (i * 10) + 4))
            .ToList();

        var html = TimelinePage.Html(history, [], "busy");

        html.Length.Should().BeLessThan(6000 * 400, "a box is one short div");
        OpLine().Matches(html).Count.Should().Be(6000);
        html.Should().NotContain("<script");
        Parse(html).Should().NotBeNull();
    }

    private static XDocument Page(List<OpRecord> history) =>
        Parse(TimelinePage.Html(history, [new NemesisEvent(30, "partition majority: [n2] | [n0 n1]"), new NemesisEvent(70, "partition healed")], "write-through: lin-kv, 3 node(s), partition"));

    private static List<XElement> Boxes(XDocument page) => [.. page.Descendants("div").Where(d => HasClass(d, "op"))];

    private static string Title(XElement box) => (string?)box.Attribute("title") ?? string.Empty;

    private static double Style(XElement element, string property)
    {
        var match = Regex.Match((string?)element.Attribute("style") ?? string.Empty, $@"(?:^|;){property}:([0-9.]+)px");
        match.Success.Should().BeTrue($"{property} is in the style of {element}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<div id=\"op-[0-9]+\" class=\"op ")]
    private static partial Regex OpLine();
}
