using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class SearchTests
{
    private static readonly GrammarRule<string> Program = (ref ImapReader r, out string v) =>
    {
        v = "";
        var s = r.TryReadSearchProgram(out var p);
        if (s == ParseStatus.Ok) s = r.TryReadCrlf();
        if (s == ParseStatus.Ok)
            v = (p.Return is null ? "" : "RETURN (" + string.Join(" ", p.Return) + ") ")
                + (p.Charset is null ? "" : "CHARSET " + p.Charset + " ") + p.Criteria;
        return s;
    };

    private static readonly GrammarRule<SearchKey> Key = (ref ImapReader r, out SearchKey v) => r.TryReadSearchKey(out v);

    [Theory]
    [InlineData("ALL\r\n", "ALL")]
    [InlineData("answered deleted DRAFT flagged NEW OLD RECENT SEEN\r\n", "ANSWERED DELETED DRAFT FLAGGED NEW OLD RECENT SEEN")]
    [InlineData("UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN\r\n", "UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN")]
    [InlineData("FROM \"Smith\" TO bob CC {3}\r\nann BCC x SUBJECT \"a b\" BODY y TEXT z\r\n",
        "FROM \"Smith\" TO \"bob\" CC \"ann\" BCC \"x\" SUBJECT \"a b\" BODY \"y\" TEXT \"z\"")]
    [InlineData("HEADER Message-ID \"<x@y>\"\r\n", "HEADER \"Message-ID\" \"<x@y>\"")]
    [InlineData("KEYWORD $Junk UNKEYWORD $Seen2\r\n", "KEYWORD $Junk UNKEYWORD $Seen2")]
    [InlineData("BEFORE 1-Feb-1994 ON \"01-FEB-1994\" SINCE 28-Feb-2000\r\n", "BEFORE 1-Feb-1994 ON 1-Feb-1994 SINCE 28-Feb-2000")]
    [InlineData("SENTBEFORE 1-Jan-2020 SENTON 2-Jan-2020 SENTSINCE 3-Jan-2020\r\n", "SENTBEFORE 1-Jan-2020 SENTON 2-Jan-2020 SENTSINCE 3-Jan-2020")]
    [InlineData("LARGER 1000 SMALLER 5000000000\r\n", "LARGER 1000 SMALLER 5000000000")]
    [InlineData("UID 1:*,5 2:4 $\r\n", "UID 1:*,5 2:4 $")]
    [InlineData("NOT SEEN\r\n", "NOT SEEN")]
    [InlineData("OR SEEN (FLAGGED FROM x)\r\n", "OR SEEN (FLAGGED FROM \"x\")")]
    [InlineData("OR (OR A1 B) NOT (C)\r\n", null)]
    [InlineData("(((SEEN)))\r\n", "(((SEEN)))")]
    [InlineData("MODSEQ 620162338\r\n", "MODSEQ 620162338")]
    [InlineData("MODSEQ \"/flags/\\\\draft\" all 620162338\r\n", "MODSEQ \"/flags/\\\\draft\" all 620162338")]
    [InlineData("YOUNGER 3600 OLDER 60\r\n", "YOUNGER 3600 OLDER 60")]
    [InlineData("CHARSET UTF-8 TEXT \"Grüße\"\r\n", "CHARSET UTF-8 TEXT \"Grüße\"")]
    [InlineData("RETURN (MIN MAX COUNT) CHARSET US-ASCII ALL\r\n", "RETURN (MIN MAX COUNT) CHARSET US-ASCII ALL")]
    [InlineData("RETURN () UNSEEN\r\n", "RETURN () UNSEEN")]
    [InlineData("RETURN (SAVE) RECENT\r\n", "RETURN (SAVE) RECENT")]
    [InlineData("CC x\r\n", "CC \"x\"")]
    public void Valid_programs(string input, string? expected)
    {
        if (expected is null) { Grammar.Invalid(Program, input); return; }
        Assert.Equal(expected, Grammar.Valid(Program, System.Text.Encoding.UTF8.GetBytes(input)));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("BOGUS\r\n")]
    [InlineData("FROM\r\n")]
    [InlineData("BEFORE 30-Feb-2020\r\n")]
    [InlineData("BEFORE 1-Foo-2020\r\n")]
    [InlineData("LARGER x\r\n")]
    [InlineData("OR SEEN\r\n")]
    [InlineData("NOT\r\n")]
    [InlineData("(SEEN\r\n")]
    [InlineData("()\r\n")]
    [InlineData("UID 0\r\n")]
    [InlineData("MODSEQ \"/flags/x\" bogus 5\r\n")]
    [InlineData("RETURN MIN ALL\r\n")]
    public void Invalid_programs(string input) => Grammar.Invalid(Program, input);

    [Fact]
    public void The_tree_has_the_right_shape()
    {
        var key = Grammar.Valid(Key, "OR (SEEN UID 4:7) NOT KEYWORD $x ");
        Assert.Equal(SearchKeyKind.Or, key.Kind);
        Assert.Equal(SearchKeyKind.And, key.Children[0].Kind);
        Assert.Equal("4:7", key.Children[0].Children[1].Set!.ToString());
        Assert.Equal(SearchKeyKind.Not, key.Children[1].Kind);
        Assert.Equal("$x", key.Children[1].Children[0].Value);
    }

    [Fact]
    public void Deep_NOT_chains_hit_the_depth_limit_instead_of_the_stack()
    {
        var input = string.Concat(Enumerable.Repeat("NOT ", 100_000)) + "SEEN\r\n";
        Assert.Contains("nested deeper", Grammar.Run(Program, Sequences.Whole(Sequences.Bytes(input))).Error);
    }
}
