using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol.Tests;

public class WriterTests
{
    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("", "\"\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("q\"b\\s", "\"q\\\"b\\\\s\"")]
    [InlineData("a(b", "\"a(b\"")]
    [InlineData("line\r\nbreak", "{11}\r\nline\r\nbreak")]
    [InlineData("Grüße", "{7}\r\nGrüße")]
    public void Astring_picks_atom_quoted_or_literal(string value, string expected) =>
        Assert.Equal(expected, Write(w => w.Astring(value)));

    [Fact]
    public void Utf8_accept_quotes_utf8()
    {
        Assert.Equal("\"Grüße\"", Write(w => w.Astring("Grüße"), new ImapWriterOptions { Utf8 = true }));
    }

    [Fact]
    public void Long_strings_become_literals()
    {
        var s = new string('a', 30);
        Assert.Equal("{30}\r\n" + s, Write(w => w.String(s), new ImapWriterOptions { MaxQuotedLength = 20 }));
    }

    [Theory]
    [InlineData(LiteralMode.Synchronizing, "{2}\r\n\r\n")]
    [InlineData(LiteralMode.NonSynchronizing, "{2+}\r\n\r\n")]
    [InlineData(LiteralMode.LiteralMinus, "{2+}\r\n\r\n")]
    [InlineData(LiteralMode.Response, "{2}\r\n\r\n")]
    public void Literal_forms(LiteralMode mode, string expected) =>
        Assert.Equal(expected, Write(w => w.String("\r\n"), new ImapWriterOptions { Literals = mode }));

    [Fact]
    public void Binary_data_uses_literal8_when_allowed()
    {
        Assert.Equal("~{3}\r\na\0b", Write(w => w.String("a\0b"), new ImapWriterOptions { Binary = true, Literals = LiteralMode.Response }));
    }

    [Fact]
    public void Nstring_nil_numbers_lists()
    {
        Assert.Equal("(NIL \"x\" 42 (\\Seen $Junk) 1:3,5)", Write(w => w.BeginList().Nstring(null).Space().Nstring("x").Space()
            .Number(42).Space().FlagList([@"\Seen", "$Junk"]).Space().SequenceSet(SequenceSet.Parse("1:3,5")).EndList()));
    }

    [Fact]
    public void Mailbox_names_are_modified_utf7_and_dates_are_imap_dates()
    {
        Assert.Equal("&ZeVnLIqe-/a&-b", Write(w => w.Mailbox("日本語/a&b")));
        Assert.Equal("\"a b/&U,BTFw-\"", Write(w => w.Mailbox("a b/台北")));
        Assert.Equal("INBOX", Write(w => w.Mailbox("inbox")));
        Assert.Equal("1-Feb-1994", Write(w => w.Date(new DateOnly(1994, 2, 1))));
        Assert.Equal("\"17-Jul-1996 02:44:25 -0700\"",
            Write(w => w.DateTime(new DateTimeOffset(1996, 7, 17, 2, 44, 25, TimeSpan.FromHours(-7)))));
    }

    [Fact]
    public void Command_builder_splits_at_synchronizing_literals()
    {
        var builder = new ImapCommandBuilder("A1", "LOGIN");
        builder.Writer.Space().Astring("user name").Space().Astring("pa\r\nss");
        var segments = builder.Build().Select(s => Encoding.UTF8.GetString(s.Span)).ToArray();
        Assert.Equal(["A1 LOGIN \"user name\" {6}\r\n", "pa\r\nss\r\n"], segments);

        var plus = new ImapCommandBuilder("A2", "APPEND", new ImapWriterOptions { Literals = LiteralMode.NonSynchronizing });
        plus.Writer.Space().Mailbox("INBOX").Space().Literal("a\r\n"u8);
        Assert.Equal(["A2 APPEND INBOX {3+}\r\na\r\n\r\n"], plus.Build().Select(s => Encoding.UTF8.GetString(s.Span)));
    }

    [Fact]
    public void A_built_command_frames_and_parses_back()
    {
        var builder = new ImapCommandBuilder("A9", "APPEND");
        builder.Writer.Space().Mailbox("Entwürfe").Space().FlagList([@"\Draft"]).Space()
            .DateTime(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)).Space().Literal("Subject: x\r\n\r\nbody"u8);
        var bytes = builder.Build().SelectMany(s => s.ToArray()).ToArray();
        var frames = new ImapFrameReader(FrameKind.Commands);
        var r = frames.Read(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(FrameStatus.Complete, r.Status);
        Assert.True(ImapCommand.TryParse(r, null, out var command, out var error, out _), error);
        var reader = command!.CreateArgumentReader();
        Assert.Equal(ParseStatus.Ok, reader.TryReadSpace());
        Assert.Equal(ParseStatus.Ok, reader.TryReadMailbox(out var mailbox));
        Assert.Equal("Entwürfe", mailbox);
        Assert.Equal(ParseStatus.Ok, reader.TryReadSpace());
        Assert.Equal(ParseStatus.Ok, reader.TryReadFlagList(out var flags));
        Assert.Equal([@"\Draft"], flags);
        Assert.Equal(ParseStatus.Ok, reader.TryReadSpace());
        Assert.Equal(ParseStatus.Ok, reader.TryReadDateTime(out var date));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), date);
        Assert.Equal(ParseStatus.Ok, reader.TryReadSpace());
        Assert.Equal(ParseStatus.Ok, reader.TryReadString(out ReadOnlyMemory<byte> message));
        Assert.Equal("Subject: x\r\n\r\nbody", Encoding.ASCII.GetString(message.Span));
        Assert.Equal(ParseStatus.Ok, reader.TryReadCrlf());
    }

    private static string Write(Action<ImapWriter> write, ImapWriterOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapWriter(buffer, options));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
