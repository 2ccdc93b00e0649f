using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class SequenceSetTests
{
    private static readonly GrammarRule<SequenceSet> Rule = (ref ImapReader r, out SequenceSet v) => r.TryReadSequenceSet(out v);

    [Theory]
    [InlineData("1 ", "1")]
    [InlineData("1:* ", "1:*")]
    [InlineData("*:4,7,9:11 ", "*:4,7,9:11")]
    [InlineData("4294967295 ", "4294967295")]
    [InlineData("$ ", "$")]
    [InlineData("2,4:7,9,12:*)", "2,4:7,9,12:*")]
    public void Valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Rule, input).ToString());

    [Theory]
    [InlineData("0 ")]
    [InlineData("1: ")]
    [InlineData(",1 ")]
    [InlineData("1,,2 ")]
    [InlineData("1:2:3 ")]
    [InlineData("4294967296 ")]
    [InlineData("$,1 ")]
    [InlineData("x ")]
    [InlineData("** ")]
    public void Invalid(string input) => Grammar.Invalid(Rule, input);

    [Fact]
    public void Star_resolves_to_the_largest_number()
    {
        var set = SequenceSet.Parse("5:*,2");
        Assert.True(set.Contains(7, largest: 9));
        Assert.True(set.Contains(2, largest: 9));
        Assert.False(set.Contains(3, largest: 9));
        Assert.True(set.Contains(4, largest: 4), "5:* with 4 messages is 4:5, so it contains 4");
        Assert.Equal([(2u, 2u), (5u, 9u)], set.Normalize(9));
    }

    [Fact]
    public void Normalize_merges_overlaps_and_neighbours()
    {
        Assert.Equal([(1u, 10u)], SequenceSet.Parse("8:10,1:3,4,5:7").Normalize(100));
    }

    [Fact]
    public void FromNumbers_compresses_runs()
    {
        Assert.Equal("1:3,5,7:8", SequenceSet.FromNumbers([8, 1, 2, 3, 5, 7, 2]).ToString());
    }
}
