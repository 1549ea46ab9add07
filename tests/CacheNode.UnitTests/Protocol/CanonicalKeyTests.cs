using System.Text.Json;
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

/// <summary>
/// Keys in messages between nodes are read in the canonical spelling: a harness between the nodes (real
/// Maelstrom parses and re-writes every message) may spell a key its own way, and a revoke or drop of a
/// key spelled unlike the cached one would drop nothing (review of the volume-lease branch, hole 1).
/// </summary>
public sealed class PeerMessageKeyTests
{
    private const string Respelled = "1.0E7";
    private static readonly RawJson Cached = CanonicalKey.Of(new RawJson("10000000.0"));

    [Fact]
    public void A_revokes_keys_are_read_canonical()
    {
        var revoke = JsonSerializer.Deserialize($$"""{"keys":[{{Respelled}},"tab\there"]}""", ProtocolJsonContext.Default.RevokeRequest)!;

        revoke.Keys.Should().Equal(Cached, new RawJson("\"tab\\u0009here\""));
    }

    [Fact]
    public void A_renewals_drops_are_read_canonical()
    {
        var renewal = JsonSerializer.Deserialize($$"""{"run":1,"drops":[{"seq":1,"key":{{Respelled}}}],"seq":1,"volume_ms":500}""", ProtocolJsonContext.Default.RenewOk)!;

        renewal.Drops.Single().Key.Should().Be(Cached);
    }

    [Fact]
    public void Write_behind_copies_and_flushed_versions_are_read_canonical()
    {
        var backup = JsonSerializer.Deserialize($$"""{"inc":1,"entries":[{"key":{{Respelled}},"value":1,"version":2}],"flushed":[{"key":{{Respelled}},"version":1}]}""", ProtocolJsonContext.Default.BackupRequest)!;

        backup.Entries!.Single()!.Key.Should().Be(Cached);
        backup.Flushed!.Single()!.Key.Should().Be(Cached);
    }
}
