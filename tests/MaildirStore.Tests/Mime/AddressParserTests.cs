using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

public class AddressParserTests
{
    // Expected lists are as Dovecot 2.3.19 puts them in ENVELOPE (name route mailbox domain).
    [Theory]
    [InlineData("a@b.c", "(NIL NIL a b.c)")]
    [InlineData("\"Joe Q. Public\" <john.q.public@example.com>", "(Joe Q. Public NIL john.q.public example.com)")]
    [InlineData("John (the man) Doe <jd@x.y>", "(John Doe NIL jd x.y)")]
    [InlineData("jd2@x.y (Real Name)", "(Real Name NIL jd2 x.y)")]
    [InlineData("<@route1,@route2:r@x.y>", "(NIL @route1,@route2 r x.y)")]
    [InlineData("bare", "(NIL NIL bare MISSING_DOMAIN)")]
    [InlineData("\"quoted local\"@x.y", "(NIL NIL quoted local x.y)")]
    [InlineData("a@b@c, d@e", "(NIL NIL a b)")]
    [InlineData("Mary <mary@x.y", "(Mary NIL mary SYNTAX_ERROR)")]
    [InlineData(",,a@b,", "(NIL NIL MISSING_MAILBOX MISSING_DOMAIN)(NIL NIL MISSING_MAILBOX MISSING_DOMAIN)(NIL NIL a b)")]
    [InlineData("undisclosed-recipients:;", "(NIL NIL undisclosed-recipients NIL)(NIL NIL NIL NIL)")]
    [InlineData("Group: a@b, c@d;, e@f", "(NIL NIL Group NIL)(NIL NIL a b)(NIL NIL c d)(NIL NIL NIL NIL)(NIL NIL e f)")]
    [InlineData("<....@dogma.example>", "(NIL NIL .... dogma.example)")]
    [InlineData("<.0.@webnote.example>", "(NIL NIL .0. webnote.example)")]
    [InlineData("Who? <one@y.test>", "(Who? NIL one y.test)")]
    [InlineData("a@b.c,\n  d@e.f", "(NIL NIL a b.c)(NIL NIL d e.f)")]
    [InlineData("first last", "(first last NIL MISSING_MAILBOX MISSING_DOMAIN)")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Parses_like_dovecot(string header, string expected)
    {
        var list = AddressParser.Parse(header);
        string actual = string.Concat(list.Select(a => $"({a.Name ?? "NIL"} {a.Route ?? "NIL"} {a.Mailbox ?? "NIL"} {a.Domain ?? "NIL"})"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Group_entries_are_flagged()
    {
        var list = AddressParser.Parse("G: x@y;");
        Assert.True(list[0].IsGroupStart);
        Assert.False(list[1].IsGroupStart || list[1].IsGroupEnd);
        Assert.True(list[2].IsGroupEnd);
    }

    [Fact]
    public void Hostile_input_terminates()
    {
        string nasty = string.Concat(Enumerable.Repeat("((\"\\<@,:;", 5000));
        var list = AddressParser.Parse(nasty);
        Assert.True(list.Count < 100_000);
    }
}
