using CacheNode.WriteBehind;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>Every node must name the same backup for an owner, whatever order init listed the ids in.</summary>
public sealed class BackupRankingTests
{
    [Theory]
    [InlineData("n1", "n2")]
    [InlineData("n2", "n3")]
    [InlineData("n3", "n1")]
    public void The_backup_is_the_next_id_wrapping_round(string owner, string backup) =>
        BackupRanking.SuccessorOf(owner, ["n3", "n1", "n2"]).Should().Be(backup);

    [Fact]
    public void Ids_are_ordered_as_strings_and_duplicates_count_once()
    {
        // Ordinal order: "n10" < "n2". Every node computes the same, so only agreement matters.
        BackupRanking.SuccessorOf("n10", ["n2", "n1", "n10", "n2"]).Should().Be("n2");
        BackupRanking.SuccessorOf("n2", ["n2", "n1", "n10", "n2"]).Should().Be("n1");
    }

    [Fact]
    public void An_id_not_among_the_nodes_is_refused() =>
        FluentActions.Invoking(() => BackupRanking.SuccessorOf("n9", ["n1", "n2"])).Should().Throw<ArgumentException>();
}
