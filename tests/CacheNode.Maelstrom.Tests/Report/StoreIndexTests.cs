using System.Xml.Linq;
using CacheNode.Maelstrom.Report;
using static CacheNode.Maelstrom.Tests.Report.SyntheticRun;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>store/index.html: every run in the store, newest first, from each run's results.json.</summary>
public sealed class StoreIndexTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("store-index-").FullName;

    [Fact]
    public async Task Lists_every_run_newest_first_with_what_ran_its_verdict_and_a_link()
    {
        Run("lin-kv/20261202T050000.000", valid: true, strategy: "write-through", nemesis: "partition");
        Run("lin-kv/20261202T070000.000", valid: false, strategy: "write-behind", nemesis: "", unsafeFlag: true);
        Run("echo/20261202T060000.000", valid: null, strategy: null, nemesis: "kill", crashed: true);
        Directory.CreateDirectory(Path.Combine(_store, "lin-kv", "20261202T080000.000"));
        File.CreateSymbolicLink(Path.Combine(_store, "latest"), "lin-kv/20261202T070000.000");

        await StoreIndex.WriteAsync(_store);
        var rows = Parse(await File.ReadAllTextAsync(Path.Combine(_store, "index.html"))).Descendants("tbody").Single().Elements("tr").ToList();

        rows.Select(r => string.Join(" | ", Cells(r))).Should().Equal(
            "2026-12-02 07:00:00 | lin-kv | write-behind CACHENODE_UNSAFE_NO_INVALIDATION | 3 | none | INVALID | 40 | lin-kv/20261202T070000.000",
            "2026-12-02 06:00:00 | echo | – | 3 | kill | CRASHED | 40 | echo/20261202T060000.000",
            "2026-12-02 05:00:00 | lin-kv | write-through | 3 | partition | VALID | 40 | lin-kv/20261202T050000.000");
        rows.Select(r => (string?)r.Descendants("a").Single().Attribute("href")).Should().Equal(
            "lin-kv/20261202T070000.000/index.html", "echo/20261202T060000.000/index.html", "lin-kv/20261202T050000.000/index.html");
        rows[0].Descendants("span").Single(s => HasClass(s, "unsafe")).Value.Should().Be("CACHENODE_UNSAFE_NO_INVALIDATION");
    }

    [Fact]
    public async Task Rewriting_after_a_new_run_puts_it_on_top_and_skips_unreadable_results()
    {
        Run("lin-kv/20261202T050000.000", valid: true, strategy: "write-through", nemesis: "partition");
        await StoreIndex.WriteAsync(_store);
        Run("lin-kv/20261202T051000.000", valid: false, strategy: "cache-aside", nemesis: "partition");
        Directory.CreateDirectory(Path.Combine(_store, "lin-kv", "20261202T052000.000"));
        await File.WriteAllTextAsync(Path.Combine(_store, "lin-kv", "20261202T052000.000", "results.json"), "{ half written");

        await StoreIndex.WriteAsync(_store);
        var rows = Parse(await File.ReadAllTextAsync(Path.Combine(_store, "index.html"))).Descendants("tbody").Single().Elements("tr").ToList();

        rows.Select(r => Cells(r)[2]).Should().Equal("cache-aside", "write-through");
        Directory.GetFiles(_store, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void A_run_from_before_results_json_named_the_strategy_shows_its_setting_or_cachenodes_default()
    {
        foreach (var (time, environment) in new[] { ("20261201T100000.000", "\"CACHENODE_STRATEGY\": \"cache-aside\""), ("20261201T110000.000", string.Empty) })
        {
            var directory = Path.Combine(_store, "lin-kv", time);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "results.json"), $$"""
                { "valid": true, "ops": 1, "options": { "workload": "lin-kv", "bin": "scripts/cachenode", "node_count": 1, "nemesis": "", "node_env": { {{environment}} } } }
                """);
        }

        StoreIndex.Rows(_store).Select(r => r.Strategy).Should().Equal("write-through", "cache-aside");
    }

    [Fact]
    public void An_empty_or_missing_store_lists_nothing()
    {
        StoreIndex.Rows(Path.Combine(_store, "nothing-here")).Should().BeEmpty();
        Parse(StoreIndex.Html([])).Descendants("tbody").Single().Elements("tr").Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static string[] Cells(XElement row) => [.. row.Elements("td").Select(td => string.Join(" ", td.DescendantNodes().OfType<XText>().Select(t => t.Value.Trim())).Trim())];

    private void Run(string relative, bool? valid, string? strategy, string nemesis, bool unsafeFlag = false, bool crashed = false)
    {
        var directory = Path.Combine(_store, relative);
        Directory.CreateDirectory(directory);
        var environment = unsafeFlag ? "\"CACHENODE_UNSAFE_NO_INVALIDATION\": \"1\", \"CACHENODE_UNSAFE_ACK_FIRST\": \"0\"" : string.Empty;
        var strategyJson = strategy is null ? "null" : $"\"{strategy}\"";
        var validJson = valid is null ? "null" : valid.Value ? "true" : "false";
        File.WriteAllText(Path.Combine(directory, "results.json"), $$"""
            {
              "valid": {{validJson}}, "ops": 40, "crashes": [{{(crashed ? "\"n1 exited before it answered init.\"" : string.Empty)}}],
              "options": { "workload": "{{relative.Split('/')[0]}}", "strategy": {{strategyJson}}, "node_count": 3, "nemesis": "{{nemesis}}", "node_env": { {{environment}} } }
            }
            """);
    }
}
