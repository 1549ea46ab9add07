using System.Xml.Linq;
using CacheNode.Maelstrom.Report;
using static CacheNode.Maelstrom.Tests.Report.SyntheticRun;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>index.html: what a person reads first when a run fails.</summary>
public sealed class ReportPageTests
{
    [Fact]
    public void Invalid_report_reads_verdict_then_what_ran_then_the_counterexample_and_only_then_the_plots()
    {
        var page = Page(InvalidHistory(), ("CACHENODE_STRATEGY", "write-behind"));
        var body = page.Descendants("body").Single().Descendants().ToList();

        int Position(Func<XElement, bool> match) => body.FindIndex(e => match(e));
        var verdict = Position(e => HasClass(e, "verdict"));
        var whatRan = Position(e => e.Name.LocalName == "h2" && e.Value == "What ran");
        var counterexample = Position(e => HasClass(e, "counterexample"));
        var firstPlot = Position(e => e.Name.LocalName == "img");

        verdict.Should().BeGreaterThanOrEqualTo(0);
        page.Descendants("p").First(e => HasClass(e, "verdict")).Value.Should().StartWith("INVALID");
        whatRan.Should().BeGreaterThan(verdict);
        counterexample.Should().BeGreaterThan(whatRan);
        firstPlot.Should().BeGreaterThan(counterexample);
    }

    [Fact]
    public void Title_names_the_strategy_so_runs_of_different_strategies_differ()
    {
        var writeBehind = Page(ValidHistory(), ("CACHENODE_STRATEGY", "write-behind"));
        var cacheAside = Page(ValidHistory(), ("CACHENODE_STRATEGY", "cache-aside"));

        writeBehind.Descendants("h1").Single().Value.Should().Be("write-behind: lin-kv, 3 node(s), partition");
        cacheAside.Descendants("h1").Single().Value.Should().Be("cache-aside: lin-kv, 3 node(s), partition");
        writeBehind.Descendants("title").Single().Value.Should().Contain("write-behind");
    }

    [Fact]
    public void What_ran_lists_every_node_setting_and_marks_only_truthy_unsafe_ones_as_testing_flags()
    {
        var page = Page(ValidHistory(), ("CACHENODE_UNSAFE_NO_INVALIDATION", "1"), ("CACHENODE_UNSAFE_ACK_FIRST", "0"), ("CACHENODE_TTL_MS", "600000"));
        var settings = page.Descendants("tr").Single(tr => tr.Element("th")?.Value == "node settings").Element("td")!;
        var flagged = page.Descendants().Where(e => HasClass(e, "unsafe")).Select(e => e.Value).ToList();

        settings.Value.Should().Contain("CACHENODE_TTL_MS=600000").And.Contain("CACHENODE_UNSAFE_ACK_FIRST=0").And.Contain("CACHENODE_UNSAFE_NO_INVALIDATION=1");
        flagged.Should().NotBeEmpty().And.OnlyContain(text => text.Contains("CACHENODE_UNSAFE_NO_INVALIDATION=1"));
        page.ToString().Should().Contain(".unsafe{color:#c62828", "a testing flag is shown in red");
    }

    [Fact]
    public void What_ran_gives_nodes_workload_nemesis_seed_rate_and_time_limit()
    {
        var page = Page(ValidHistory());
        string Row(string name) => page.Descendants("tr").Single(tr => tr.Element("th")?.Value == name).Element("td")!.Value;

        Row("nodes").Should().Be("3: n0, n1, n2");
        Row("workload").Should().StartWith("lin-kv");
        Row("nemesis").Should().StartWith("partition");
        Row("seed").Should().Be("7");
        Row("rate").Should().Contain("5 ops/s").And.Contain("6 clients");
        Row("time limit").Should().Be("10 s");
        Row("strategy").Should().Contain("write-through").And.Contain("default");
    }

    [Fact]
    public void Command_line_uses_the_arguments_as_given_adds_the_seed_and_puts_settings_from_the_environment_in_front()
    {
        var options = Options(("CACHENODE_STRATEGY", "write-behind"), ("CACHENODE_LOG", "debug info")) with
        {
            Arguments = ["test", "-w", "lin-kv", "--bin", "scripts/cachenode", "--env", "CACHENODE_STRATEGY=write-behind"],
        };

        RunDescription.CommandLine(options).Should().Be(
            "'CACHENODE_LOG=debug info' scripts/runner test -w lin-kv --bin scripts/cachenode --env CACHENODE_STRATEGY=write-behind --seed 7");
    }

    [Fact]
    public void Command_line_is_rebuilt_from_the_options_when_the_arguments_were_not_kept()
    {
        var line = RunDescription.CommandLine(Options(("CACHENODE_UNSAFE_NO_INVALIDATION", "1")));

        line.Should().Be("scripts/runner test -w lin-kv --bin scripts/cachenode --node-count 3 --time-limit 10 --rate 5 --concurrency 2n "
            + "--nemesis partition --nemesis-interval 10 --seed 7 --env CACHENODE_UNSAFE_NO_INVALIDATION=1");
    }

    [Fact]
    public void Counterexample_lists_each_operation_with_process_node_times_and_values_and_marks_the_stale_read()
    {
        var page = Page(InvalidHistory());
        var rows = page.Descendants("section").Single(e => HasClass(e, "counterexample")).Descendants("tr").Where(tr => tr.Attribute("data-op") is not null).ToList();

        var bad = rows.Single(tr => HasClass(tr, "bad"));
        ((int)bad.Attribute("data-op")!).Should().Be(StaleReadId);
        bad.Descendants("a").Single().Attribute("href")!.Value.Should().Be("timeline.html#op-6");
        bad.Elements("td").Select(td => td.Value).Should().Equal("#6", "2", "c8 → n2", "read key 0 → 1", "80.000", "85.000", "ok — cannot be linearized");
        rows.Select(tr => (int)tr.Attribute("data-op")!).Should().Contain([0, 2, StaleReadId]);
        rows.Single(tr => (int)tr.Attribute("data-op")! == 2).Elements("td").ElementAt(3).Value.Should().Be("cas key 0 1→2");
    }

    [Fact]
    public void Long_texts_wrap_instead_of_scrolling_sideways()
    {
        var html = ReportPage.Html(Result(Options(), InvalidHistory()), Summary(InvalidHistory()));

        html.Should().Contain("white-space:pre-wrap").And.NotContain("overflow-x:auto");
    }

    [Fact]
    public void Invalid_report_draws_the_key_and_marks_the_operation_that_cannot_be_linearized()
    {
        var svg = Page(InvalidHistory()).Descendants().Single(e => e.Name.LocalName == "svg");
        var bars = svg.Elements().Where(e => e.Name.LocalName == "g").ToList();

        var bad = bars.Where(g => HasClass(g, "bad")).ToList();
        bad.Should().ContainSingle();
        ((int)bad[0].Attribute("data-op")!).Should().Be(StaleReadId);
        bad[0].Value.Should().Contain("cannot be linearized").And.Contain("read key 0 → 1").And.Contain("node n2");
        bars.Select(g => (int)g.Attribute("data-op")!).Should().Contain([0, 2, StaleReadId], "the last writes before the stale read are in the picture");
        bars.Single(g => (int)g.Attribute("data-op")! == 4).Should().Match<XElement>(g => HasClass(g, "info"), "the write with no reply is drawn as indeterminate");
    }

    [Fact]
    public void Valid_report_has_no_counterexample_and_no_picture()
    {
        var page = Page(ValidHistory());

        page.Descendants().Where(e => e.Name.LocalName == "svg").Should().BeEmpty();
        page.Descendants().Where(e => HasClass(e, "counterexample")).Should().BeEmpty();
        page.Descendants("p").First(e => HasClass(e, "verdict")).Value.Should().StartWith("VALID");
    }

    [Fact]
    public void Report_links_its_timeline_and_the_store_index()
    {
        var links = Page(ValidHistory()).Descendants("a").Select(a => (string?)a.Attribute("href")).ToList();

        links.Should().Contain("timeline.html").And.Contain("../../index.html");
    }

    private static XDocument Page(List<History.OpRecord> history, params (string Name, string Value)[] environment) =>
        Parse(ReportPage.Html(Result(Options(environment), history), Summary(history)));

    private static RunSummary Summary(List<History.OpRecord> history) => RunSummary.Of(Result(Options(), history));
}
