using CacheNode.UnitTests.TestDoubles;
using CacheNode.Configuration;

namespace CacheNode.UnitTests.Configuration;

/// <summary>
/// Each default is written in NodeOptions, in its Setting (what --help prints) and in the README's
/// table: all three must say the same, so none can drift.
/// </summary>
public sealed class DefaultsTests
{
    [Fact]
    public void Every_settings_default_is_what_node_options_start_with()
    {
        foreach (var setting in OptionsParser.Settings)
        {
            setting.Apply(new NodeOptions(), setting.Default).Should().Be(new NodeOptions(), $"{setting.EnvironmentVariable}'s default is {setting.Default}");
        }
    }

    [Fact]
    public void Readme_lists_every_setting_with_its_flag_and_default_and_nothing_else()
    {
        var listed = ReadmeSettings();

        listed.Keys.Should().BeEquivalentTo(OptionsParser.Settings.Select(s => s.EnvironmentVariable));
        foreach (var setting in OptionsParser.Settings)
        {
            var (flag, value) = listed[setting.EnvironmentVariable];
            value.Should().Be(setting.Default, setting.EnvironmentVariable);
            if (flag is not null)
            {
                flag.Should().Be(setting.Flag, setting.EnvironmentVariable);
            }
        }
    }

    // Variable -> (flag, default) from the README's configuration table; a row may name several
    // variables ("`CACHENODE_UNSAFE_A`, `_B`": the rest share the first one's prefix, and the flags
    // are not all spelled out).
    private static Dictionary<string, (string? Flag, string Default)> ReadmeSettings()
    {
        var readme = File.ReadAllLines(Repository.PathOf("README.md"));
        var section = readme.SkipWhile(line => line != "## Configuration").Skip(1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal));
        var settings = new Dictionary<string, (string?, string)>(StringComparer.Ordinal);
        foreach (var row in section.Where(line => line.StartsWith("| `CACHENODE_", StringComparison.Ordinal)))
        {
            var cells = row.Split('|').Select(cell => cell.Trim()).ToArray();
            var names = cells[1].Split(',').Select(name => name.Trim().Trim('`')).ToArray();
            var flag = cells[2].Trim('`');
            var value = cells[3].Trim('`');
            foreach (var name in names)
            {
                var full = name.StartsWith('_') ? "CACHENODE_UNSAFE" + name : name;
                settings[full] = (names.Length > 1 ? null : flag, value);
            }
        }

        return settings;
    }
}
