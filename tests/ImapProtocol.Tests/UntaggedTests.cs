using System.Text;

namespace ImapProxy.Protocol.Tests;

public class UntaggedTests
{
    private static ImapResponse Parse(string s) => ResponseTests.Parse(s);

    [Fact]
    public void Fetch_items_are_typed()
    {
        var r = Parse("* 12 FETCH (UID 4827 FLAGS (\\seen $Junk) MODSEQ (12121231000) RFC822.SIZE 44827 " +
            "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) " +
            "BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) BODY[HEADER.FIELDS (SUBJECT)] {11}\r\nSubject: x\n " +
            "BODY[]<100> NIL BINARY.SIZE[1] 30 X-GM-MSGID 123)\r\n");
        Assert.True(FetchItems.TryParse(r, out var items, out var error), error);
        Assert.Equal(12u, items!.SequenceNumber);
        Assert.Equal(4827u, items.Uid);
        Assert.Equal([@"\Seen", "$Junk"], items.Flags);
        Assert.Equal(12121231000UL, items.ModSeq);
        Assert.Equal(44827UL, items.Size);
        Assert.Equal(new DateTimeOffset(1996, 7, 17, 2, 44, 25, TimeSpan.FromHours(-7)), items.InternalDate);
        Assert.Equal(10, items.Envelope!.Value.Items.Count);
        Assert.Equal("TEXT", items.BodyStructure!.Value.Items[0].AsString());
        Assert.Equal(2, items.Bodies.Count);
        Assert.Equal(SectionText.HeaderFields, items.Bodies[0].Section!.Text);
        Assert.Equal("Subject: x\n", Encoding.ASCII.GetString(items.Bodies[0].Data!.Value.Span));
        Assert.Equal(100u, items.Bodies[1].Origin);
        Assert.Null(items.Bodies[1].Data);
        Assert.Equal(["BINARY.SIZE[1]", "X-GM-MSGID"], items.Other.Select(o => o.Key));
    }

    [Theory]
    [InlineData("* 1 FETCH (UID)\r\n")]
    [InlineData("* 1 FETCH (UID x)\r\n")]
    [InlineData("* 1 FETCH (FLAGS \\Seen)\r\n")]
    [InlineData("* 1 FETCH (INTERNALDATE \"bogus\")\r\n")]
    [InlineData("* 1 FETCH (MODSEQ 5)\r\n")]
    [InlineData("* 1 EXISTS\r\n")]
    public void Malformed_fetch_items_are_refused(string line) =>
        Assert.False(FetchItems.TryParse(Parse(line), out _, out _));

    [Fact]
    public void Exists_recent_expunge_flags_capability_enabled()
    {
        Assert.True(Untagged.TryGetNumber(Parse("* 23 EXISTS\r\n"), "EXISTS", out var n));
        Assert.Equal(23u, n);
        Assert.False(Untagged.TryGetNumber(Parse("* 23 RECENT\r\n"), "EXISTS", out _));
        Assert.True(Untagged.TryGetFlags(Parse("* FLAGS (\\Answered \\flagged $X)\r\n"), out var flags));
        Assert.Equal([@"\Answered", @"\Flagged", "$X"], flags);
        Assert.True(Untagged.TryGetAtoms(Parse("* CAPABILITY IMAP4rev1 CONDSTORE\r\n"), out var caps));
        Assert.Equal(["IMAP4rev1", "CONDSTORE"], caps);
        Assert.True(Untagged.TryGetAtoms(Parse("* ENABLED QRESYNC\r\n"), out var enabled));
        Assert.Equal(["QRESYNC"], enabled);
    }

    [Fact]
    public void Search_and_esearch()
    {
        Assert.True(Untagged.TryGetSearch(Parse("* SEARCH 2 84 882 (MODSEQ 917162500)\r\n"), out var numbers, out var modseq));
        Assert.Equal([2u, 84u, 882u], numbers);
        Assert.Equal(917162500UL, modseq);
        Assert.True(Untagged.TryGetSearch(Parse("* SEARCH\r\n"), out numbers, out _));
        Assert.Empty(numbers);
        Assert.True(Untagged.TryGetESearch(Parse("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 7,9:12\r\n"), out var es));
        Assert.Equal("A285", es!.Tag);
        Assert.True(es.Uid);
        Assert.Equal((7u, 3800u, 15UL, "7,9:12"), (es.Min!.Value, es.Max!.Value, es.Count!.Value, es.All!.ToString()));
        Assert.False(Untagged.TryGetSearch(Parse("* SEARCH 1 x\r\n"), out _, out _));
    }

    [Fact]
    public void Vanished_and_status()
    {
        Assert.True(Untagged.TryGetVanished(Parse("* VANISHED (EARLIER) 41,43:116\r\n"), out var v));
        Assert.True(v!.Earlier);
        Assert.Equal("41,43:116", v.Uids.ToString());
        Assert.True(Untagged.TryGetVanished(Parse("* VANISHED 5\r\n"), out v));
        Assert.False(v!.Earlier);
        Assert.True(Untagged.TryGetStatus(Parse("* STATUS &ZeVnLIqe- (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777)\r\n"), false, out var st));
        Assert.Equal("日本語", st!.Mailbox);
        Assert.Equal(231UL, st["MESSAGES"]);
        Assert.Equal(7011231777UL, st["HIGHESTMODSEQ"]);
        Assert.Null(st["UNSEEN"]);
    }

    [Fact]
    public void List_with_attributes_delimiter_decoding_and_extended_data()
    {
        Assert.True(Untagged.TryGetList(Parse("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent &AOk-t&AOk-\" (CHILDINFO (\"SUBSCRIBED\"))\r\n"), false, out var l));
        Assert.True(l!.Has(@"\sent"));
        Assert.Equal('/', l.Delimiter);
        Assert.Equal("Sent été", l.Mailbox);
        Assert.True(l.NameIsValid);
        Assert.Equal("CHILDINFO", l.Extended[0].Key);
        Assert.True(Untagged.TryGetList(Parse("* LSUB () NIL inbox\r\n"), false, out l));
        Assert.Null(l!.Delimiter);
        Assert.Equal("INBOX", l.Mailbox);
        Assert.True(Untagged.TryGetList(Parse("* LIST () \".\" {5}\r\nbad&x\r\n"), false, out l));
        Assert.False(l!.NameIsValid);
        Assert.Equal("bad&x", l.Mailbox);
    }

    [Fact]
    public void Namespace_and_id()
    {
        Assert.True(Untagged.TryGetNamespace(Parse("* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\") (\"#x\" NIL))\r\n"), out var ns));
        Assert.Equal(new NamespaceEntry("", '/'), ns!.Personal[0]);
        Assert.Empty(ns.OtherUsers);
        Assert.Equal(new NamespaceEntry("#x", null), ns.Shared[1]);
        Assert.True(Untagged.TryGetId(Parse("* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n"), out var id));
        Assert.Equal("Dovecot", id["name"]);
        Assert.Null(id["version"]);
        Assert.True(Untagged.TryGetId(Parse("* ID NIL\r\n"), out id));
        Assert.Empty(id);
    }
}
