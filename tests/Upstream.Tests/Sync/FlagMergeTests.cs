using FsCheck;
using FsCheck.Fluent;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Properties of the three-way flag merge over random flag sets.</summary>
public sealed class FlagMergeTests
{
    private static readonly string[] Universe = [@"\Seen", @"\Flagged", @"\Answered", @"\Deleted", @"\Draft", "$Label1", "$Forwarded"];

    private static FlagSet FromMask(int mask) => FlagSet.Of(Universe.Where((_, i) => (mask & (1 << i)) != 0));

    private static void ForAllTriples(Action<FlagSet, FlagSet, FlagSet> check)
    {
        var gen = Gen.Choose(0, (1 << Universe.Length) - 1);
        Prop.ForAll(Arb.From(gen), Arb.From(gen), Arb.From(gen), (a, b, c) =>
        {
            check(FromMask(a), FromMask(b), FromMask(c));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IsSymmetric() => ForAllTriples((s0, b, s1) => Assert.Equal(FlagMerge.Merge(s0, b, s1), FlagMerge.Merge(s1, b, s0)));

    [Fact]
    public void OneSidedChangeIsTakenAsIs() => ForAllTriples((s0, b, _) => Assert.Equal(s0, FlagMerge.Merge(s0, b, b)));

    [Fact]
    public void AgreementIsKept() => ForAllTriples((s, b, _) => Assert.Equal(s, FlagMerge.Merge(s, b, s)));

    [Fact]
    public void EachFlagFollowsTheSideThatChangedIt() => ForAllTriples((s0, b, s1) =>
    {
        var merged = FlagMerge.Merge(s0, b, s1);
        foreach (var flag in Universe)
        {
            var changed0 = s0.Contains(flag) != b.Contains(flag);
            var changed1 = s1.Contains(flag) != b.Contains(flag);
            var expected = changed0 ? s0.Contains(flag) : changed1 ? s1.Contains(flag) : b.Contains(flag);
            Assert.Equal(expected, merged.Contains(flag));
        }
    });

    [Fact]
    public void UnknownBaseUnites() => ForAllTriples((s0, _, s1) => Assert.Equal(s0.Union(s1), FlagMerge.Merge(s0, null, s1)));

    [Fact]
    public void FlagSetIgnoresCaseAndRecentAndRoundTrips()
    {
        var flags = FlagSet.Of(@"\SEEN", @"\Recent", "$label1", @"\seen");
        Assert.Equal(2, flags.Count);
        Assert.True(flags.Contains(@"\Seen"));
        Assert.Equal(flags, FlagSet.Parse(flags.ToString()));
        Assert.Equal(FlagSet.Empty, FlagSet.Parse(""));
    }
}
