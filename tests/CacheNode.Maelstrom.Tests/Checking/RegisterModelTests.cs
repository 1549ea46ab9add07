using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class RegisterModelTests
{
    [Theory]
    [InlineData(null, "Read", null, null, true, null)]
    [InlineData(null, "Read", 1, null, false, null)]
    [InlineData(1, "Read", 1, null, true, 1)]
    [InlineData(1, "Read", null, null, false, 1)]
    [InlineData(null, "Write", 2, null, true, 2)]
    [InlineData(1, "Write", 2, null, true, 2)]
    [InlineData(1, "Cas", 2, 1, true, 2)]
    [InlineData(3, "Cas", 2, 1, false, null)]
    [InlineData(null, "Cas", 2, null, false, null)]
    public void Steps_follow_the_cas_register(int? state, string kind, int? value, int? from, bool legal, int? after)
    {
        var op = new Operation(0, 0, Enum.Parse<OpKind>(kind), "k", value, from, 0, 1, OpStatus.Ok);

        var ok = RegisterModel.TryStep(state, op, out var next);

        ok.Should().Be(legal);
        if (legal)
        {
            next.Should().Be(after);
        }
    }
}
