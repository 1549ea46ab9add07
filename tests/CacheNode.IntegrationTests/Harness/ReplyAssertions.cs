using System.Text.Json.Nodes;

namespace CacheNode.IntegrationTests.Harness;

/// <summary>Checks on a reply body whose failure message shows the whole reply, not just the one field.</summary>
internal static class ReplyAssertions
{
    public static void ShouldHave<T>(this JsonObject reply, string field, T expected)
    {
        var json = reply.ToJsonString();
        reply[field].Should().NotBeNull($"the reply should have {field}, but was {json}");
        reply[field]!.GetValue<T>().Should().Be(expected, $"the reply was {json}");
    }
}
