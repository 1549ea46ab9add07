using CacheNode.WriteBehind;
using static CacheNode.UnitTests.TestDoubles.Keys;

namespace CacheNode.UnitTests.WriteBehind;

/// <summary>A key stays unconfirmed until a copy of its marked version, or a newer one, is confirmed.</summary>
public sealed class UnconfirmedCopiesTests
{
    [Fact]
    public void Only_a_confirmation_of_the_marked_version_or_a_newer_one_clears_the_key()
    {
        var unconfirmed = new UnconfirmedCopies();
        unconfirmed.Add(Int(1), version: 5);
        unconfirmed.Add(Int(1), version: 3);

        unconfirmed.Confirm(Int(1), version: 4);
        unconfirmed.Contains(Int(1)).Should().BeTrue("a copy of version 4 held on the backup says nothing of version 5");

        unconfirmed.Confirm(Int(1), version: 5);
        unconfirmed.Contains(Int(1)).Should().BeFalse();
        unconfirmed.Count.Should().Be(0);
    }
}
