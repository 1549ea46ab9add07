using System.Text.RegularExpressions;
using CacheNode.UnitTests.TestDoubles;

namespace CacheNode.UnitTests.Architecture;

/// <summary>
/// The folders of src/CacheNode depend on each other one way only, and docs/architecture.md says
/// which on which: both computed from the code's own references to <c>CacheNode.&lt;Folder&gt;</c>.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Source = Repository.PathOf("src", "CacheNode");

    [Fact]
    public void No_folder_imports_a_folder_that_imports_it_back()
    {
        var graph = ImportGraph();

        var cycle = FindCycle(graph);

        cycle.Should().BeNull($"folders must depend one way only, but {string.Join(" → ", cycle ?? [])} is a loop");
    }

    [Fact]
    public void Architecture_document_lists_exactly_who_imports_whom()
    {
        var expected = ImportGraph().Select(pair => $"- {pair.Key} → {(pair.Value.Count == 0 ? "nothing" : string.Join(", ", pair.Value))}").ToList();
        var document = File.ReadAllText(Repository.PathOf("docs", "architecture.md"));
        var listed = ImportsBlock().Match(document);

        listed.Success.Should().BeTrue("docs/architecture.md keeps the list between its imports markers");
        listed.Groups["list"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Should().Equal(expected, "the document must say what the code does; paste:\n" + string.Join('\n', expected));
    }

    // Folder -> the other folders its files name (in using directives or qualified names), sorted.
    private static SortedDictionary<string, List<string>> ImportGraph()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        var graph = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var named = Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => Reference().Matches(File.ReadAllText(file)).Select(match => match.Groups["folder"].Value))
                .Where(name => name != folder && folders.Contains(name))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            graph[folder] = named;
        }

        return graph;
    }

    private static List<string>? FindCycle(SortedDictionary<string, List<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys)
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string folder)
        {
            var onPath = path.IndexOf(folder);
            if (onPath >= 0)
            {
                return [.. path[onPath..], folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in graph[folder])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    // A file's own namespace line names its own folder, which is left out anyway.
    [GeneratedRegex(@"\bCacheNode\.(?<folder>[A-Z][A-Za-z]*)\b")]
    private static partial Regex Reference();

    [GeneratedRegex(@"<!-- imports:[^>]*-->\s*\n(?<list>.*?)<!-- /imports -->", RegexOptions.Singleline)]
    private static partial Regex ImportsBlock();
}
