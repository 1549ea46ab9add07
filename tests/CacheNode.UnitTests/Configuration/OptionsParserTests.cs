using CacheNode.Configuration;
using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;

namespace CacheNode.UnitTests.Configuration;

public sealed class OptionsParserTests
{
    [Fact]
    public void Defaults_follow_the_contract()
    {
        var options = OptionsParser.Parse([], _ => null)!;

        options.Strategy.Should().Be(StrategyKind.WriteThrough);
        options.Database.Should().Be(DatabaseKind.Auto);
    }

    [Fact]
    public void Environment_sets_and_flags_override()
    {
        var env = new Dictionary<string, string>
        {
            ["CACHENODE_STRATEGY"] = "write-behind",
            ["CACHENODE_TTL_MS"] = "1500",
            ["CACHENODE_LOG"] = "debug",
        };

        var options = OptionsParser.Parse(["--strategy", "cache-aside", "--max-entries=7"], name => env.GetValueOrDefault(name))!;

        options.Strategy.Should().Be(StrategyKind.CacheAside);
        options.TtlMs.Should().Be(1500);
        options.MaxEntries.Should().Be(7);
        options.LogLevel.Should().Be(LogLevel.Debug);
    }

    [Theory]
    [InlineData("CACHENODE_STRATEGY", "write-around", "expected one of write-through, cache-aside, write-behind, proxy")]
    [InlineData("CACHENODE_MAX_ENTRIES", "0", "must be at least 1")]
    [InlineData("CACHENODE_TTL_MS", "ten", "expected a whole number")]
    [InlineData("CACHENODE_TTL_MS", "99999999999999", "too large (max 86400000)")]
    [InlineData("CACHENODE_MAX_ENTRIES", "-99999999999999", "too small (min 1)")]
    [InlineData("CACHENODE_TTL_JITTER", "1.5", "must be between 0 and 1")]
    [InlineData("CACHENODE_DB", "postgres", "expected one of auto, local, lin-kv, seq-kv")]
    [InlineData("CACHENODE_WRITE_DELAY_MS", "2147483647", "must be at most 86400000")]
    public void Bad_value_names_the_setting_and_what_was_expected(string variable, string value, string message)
    {
        var parse = () => OptionsParser.Parse([], name => name == variable ? value : null);

        parse.Should().Throw<OptionsException>().WithMessage($"{variable}={value}: {message}");
    }

    [Fact]
    public void Unknown_flag_and_missing_value_are_errors()
    {
        ((Action)(() => OptionsParser.Parse(["--bogus", "1"], _ => null))).Should().Throw<OptionsException>().WithMessage("*unknown argument '--bogus'*");
        ((Action)(() => OptionsParser.Parse(["--ttl-ms"], _ => null))).Should().Throw<OptionsException>().WithMessage("--ttl-ms needs a value");
    }

    [Fact]
    public void Help_returns_null_and_usage_lists_every_setting()
    {
        OptionsParser.Parse(["--help"], _ => null).Should().BeNull();
        var usage = OptionsParser.Usage();
        OptionsParser.Settings.Should().OnlyContain(s => usage.Contains(s.EnvironmentVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_cachenode_variable_is_named_with_the_closest_setting()
    {
        var warnings = OptionsParser.UnknownVariables(["PATH", "CACHENODE_STRATEGY", "CACHENODE_STRATEGEY", "CACHENODE_TTL"]).ToList();

        warnings.Should().Equal(
            "CACHENODE_STRATEGEY is not a setting and is ignored; did you mean CACHENODE_STRATEGY? (--help lists them)",
            "CACHENODE_TTL is not a setting and is ignored; did you mean CACHENODE_TTL_MS? (--help lists them)");
    }
}
