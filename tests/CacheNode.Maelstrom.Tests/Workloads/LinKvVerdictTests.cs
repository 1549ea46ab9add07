using CacheNode.Maelstrom.History;
using CacheNode.Maelstrom.Run;
using CacheNode.Maelstrom.Workloads;

namespace CacheNode.Maelstrom.Tests.Workloads;

/// <summary>The checks Maelstrom composes for lin-kv: Knossos' cas-register, Jepsen's stats, and --availability.</summary>
public sealed class LinKvVerdictTests
{
    private int _id;

    [Fact]
    public void A_read_of_nil_from_a_node_constrains_nothing_as_in_knossos()
    {
        OpRecord[] history = [Op(OpKind.Write, 3, 0, 10), Op(OpKind.Read, null, 20, 30), Op(OpKind.Cas, 4, 40, 50, from: 3), Op(OpKind.Read, 4, 60, 70)];

        LinKvVerdict.Of(history, null, CancellationToken.None).Valid.Should().BeTrue();
    }

    [Fact]
    public void The_runners_own_read_of_the_database_finding_no_key_does_constrain()
    {
        OpRecord[] history = [Op(OpKind.Write, 3, 0, 10), Op(OpKind.Read, 3, 20, 30), Op(OpKind.Read, null, 40, 40) with { Client = DatabaseReadBack.ClientName }];

        LinKvVerdict.Of(history, null, CancellationToken.None).Valid.Should().BeFalse("the database lost the acked write");
    }

    [Fact]
    public void A_kind_of_operation_that_never_succeeded_makes_the_run_invalid()
    {
        OpRecord[] history = [Op(OpKind.Write, 3, 0, 10), Op(OpKind.Read, null, 20, 30) with { Status = OpStatus.Fail }];

        var verdict = LinKvVerdict.Of(history, null, CancellationToken.None);

        verdict.Valid.Should().BeFalse();
        verdict.Summary.Should().Contain("stats: no read operation succeeded");
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.9, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Availability_is_checked_only_when_asked_for(double target, bool valid)
    {
        OpRecord[] history = [Op(OpKind.Write, 3, 0, 10), Op(OpKind.Read, 3, 20, 30), Op(OpKind.Read, 3, 40, 50), Op(OpKind.Write, 1, 60, 70) with { Status = OpStatus.Fail }];

        LinKvVerdict.Of(history, target, CancellationToken.None).Valid.Should().Be(valid);
        LinKvVerdict.Of(history, null, CancellationToken.None).Valid.Should().BeTrue();
    }

    private OpRecord Op(OpKind kind, int? value, long invoke, long complete, int? from = null) =>
        new(_id++, _id, "c1", "n0", kind, "0", value, from, invoke, complete, OpStatus.Ok, null, null, false);
}
