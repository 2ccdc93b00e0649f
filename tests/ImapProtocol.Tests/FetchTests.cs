using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class FetchTests
{
    private static readonly GrammarRule<string> Atts = (ref ImapReader r, out string v) =>
    {
        v = "";
        var s = r.TryReadFetchAtts(out var f);
        if (s == ParseStatus.Ok) s = r.TryReadCrlf();
        if (s == ParseStatus.Ok)
            v = string.Join(" ", f.Attributes) + (f.ChangedSince is null ? "" : $" CHANGEDSINCE {f.ChangedSince}")
                + (f.Vanished ? " VANISHED" : "");
        return s;
    };

    [Theory]
    [InlineData("ALL\r\n", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE")]
    [InlineData("fast\r\n", "FLAGS INTERNALDATE RFC822.SIZE")]
    [InlineData("FULL\r\n", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY")]
    [InlineData("UID\r\n", "UID")]
    [InlineData("(ENVELOPE FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE UID MODSEQ)\r\n",
        "ENVELOPE FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE UID MODSEQ")]
    [InlineData("BODY[]\r\n", "BODY[]")]
    [InlineData("body.peek[header.fields (From To \"X-A\")]<0.100>\r\n", "BODY.PEEK[HEADER.FIELDS (From To X-A)]<0.100>")]
    [InlineData("(BODY[1.2.MIME] BODY[3.TEXT] BODY[HEADER.FIELDS.NOT (Received)] BODY[2])\r\n",
        "BODY[1.2.MIME] BODY[3.TEXT] BODY[HEADER.FIELDS.NOT (Received)] BODY[2]")]
    [InlineData("(BINARY[1] BINARY.PEEK[2.3]<5.10> BINARY.SIZE[1] BINARY[])\r\n", "BINARY[1] BINARY.PEEK[2.3]<5.10> BINARY.SIZE[1] BINARY[]")]
    [InlineData("(UID FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n", "UID FLAGS CHANGEDSINCE 12345 VANISHED")]
    [InlineData("FLAGS (CHANGEDSINCE 1)\r\n", "FLAGS CHANGEDSINCE 1")]
    public void Valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Atts, input));

    [Theory]
    [InlineData("BOGUS\r\n")]
    [InlineData("()\r\n")]
    [InlineData("BODY[FOO]\r\n")]
    [InlineData("BODY[1.]\r\n")]
    [InlineData("BODY[MIME]\r\n")]
    [InlineData("BODY[]<5>\r\n")]
    [InlineData("BODY[]<0.0>\r\n")]
    [InlineData("BODY.PEEK\r\n")]
    [InlineData("BINARY[HEADER]\r\n")]
    [InlineData("FLAGS[1]\r\n")]
    [InlineData("(UID FLAGS\r\n")]
    [InlineData("UID (CHANGEDSINCE 0)\r\n")]
    [InlineData("UID (BOGUS)\r\n")]
    public void Invalid(string input) => Grammar.Invalid(Atts, input);

    [Fact]
    public void Response_names_drop_peek_and_partial_length()
    {
        var reader = new ImapReader(new ReadOnlyMemory<byte>(Sequences.Bytes("BODY.PEEK[1.HEADER]<10.20> ")));
        Assert.Equal(ParseStatus.Ok, reader.TryReadFetchAtt(out var att));
        Assert.Equal("BODY[1.HEADER]<10>", att.ResponseName);
        Assert.Equal(new BodySection { Part = [1], Text = SectionText.Header }, att.Section);
    }
}
