using CacheNode.Protocol;

namespace CacheNode.UnitTests.Protocol;

/// <summary>Keys equal as values (as lin-kv compares them) get one spelling; keys that differ keep differing.</summary>
public sealed class CanonicalKeyTests
{
    [Theory]
    [InlineData("\"\\u0061\"", "\"a\"")]
    [InlineData("\"\\/x\"", "\"/x\"")]
    [InlineData("\"\\u00e9\"", "\"é\"")]
    [InlineData("\"tab\\there\"", "\"tab\\u0009here\"")]
    [InlineData("\"q\\u0022\"", "\"q\\\"\"")]
    [InlineData("{\"y\":2,\"x\":1}", "{\"x\":1,\"y\":2}")]
    [InlineData("{\"b\":[{\"d\":1,\"c\":\"\\u0063\"}],\"a\":null}", "{\"a\":null,\"b\":[{\"c\":\"c\",\"d\":1}]}")]
    [InlineData("1.00", "1.0")]
    [InlineData("1e0", "1.0")]
    [InlineData("-0.0", "0.0")]
    [InlineData("2.5E3", "2500.0")]
    [InlineData("-0", "0")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void Spellings_of_one_value_become_one(string written, string canonical)
    {
        CanonicalKey.Of(new RawJson(written)).Text.Should().Be(canonical);
        CanonicalKey.Of(new RawJson(canonical)).Text.Should().Be(canonical, "the canonical form is its own canonical form");
    }

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1", "\"1\"")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("\"a\"", "\"A\"")]
    public void Different_values_stay_different(string one, string other)
    {
        CanonicalKey.Of(new RawJson(one)).Should().NotBe(CanonicalKey.Of(new RawJson(other)));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("-7")]
    [InlineData("\"plain\"")]
    [InlineData("true")]
    [InlineData("null")]
    public void Common_keys_are_kept_as_they_are(string written)
    {
        var key = new RawJson(written);
        CanonicalKey.Of(key).Text.Should().BeSameAs(key.Text, "nothing to rewrite, nothing allocated");
    }
}
