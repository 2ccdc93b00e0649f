using ImapProxy.Server.Sort;

namespace ImapProxy.Tests.Server.Sort;

/// <summary>The comparer's UTF-16 fast path must order exactly as the rune-by-rune comparison does.</summary>
public sealed class UnicodeCasemapComparerTests
{
    /// <summary>ASCII, Latin-1, BMP above the surrogates, U+FFFD, an astral pair, and unpaired surrogates.</summary>
    private static readonly string[] Pieces =
        ["A", "a", "B", "\u00C9", "\uD7FF", "\uE000", "\uFF21", "\uFFFD", "\U0001F600", "\U00010000", "\uD83D", "\uDE00", ""];

    [Fact]
    public void Fast_path_agrees_with_rune_order_on_random_keys()
    {
        var random = new Random(5256);
        for (var i = 0; i < 20_000; i++)
        {
            var a = RandomKey(random);
            var b = random.Next(4) == 0 ? a + RandomKey(random) : RandomKey(random);
            var expected = Math.Sign(UnicodeCasemap.CompareRunes(a, b));
            Assert.True(expected == Math.Sign(UnicodeCasemap.Comparer.Compare(a, b)), $"{Escape(a)} vs {Escape(b)}: expected {expected}");
            Assert.True(-expected == Math.Sign(UnicodeCasemap.Comparer.Compare(b, a)), $"{Escape(b)} vs {Escape(a)}: expected {-expected}");
        }
    }

    [Theory]
    [InlineData("\uFFFF", "\U00010000", -1)] // code point order: a BMP character before any astral one
    [InlineData("AB", "A", 1)]
    public void Surrogates_order_by_code_point(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(UnicodeCasemap.Comparer.Compare(a, b)));

    [Fact]
    public void An_unpaired_surrogate_reads_as_the_replacement_character()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates through metadata.
        var high = ((char)0xD83D).ToString();
        Assert.Equal(0, UnicodeCasemap.Comparer.Compare(high + "z", "\uFFFDz"));
        Assert.True(UnicodeCasemap.Comparer.Compare("x" + high, "x\U0001F600") < 0);
        Assert.True(UnicodeCasemap.Comparer.Compare(high + "z", "\uFFFEz") < 0);
    }

    private static string RandomKey(Random random)
    {
        var length = random.Next(5);
        var key = "";
        for (var i = 0; i < length; i++)
        {
            key += Pieces[random.Next(Pieces.Length)];
        }
        return key;
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x80 ? c.ToString() : $"\\u{(int)c:X4}"));
}
