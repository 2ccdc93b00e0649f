using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

/// <summary>Section extraction; expected bytes are what Dovecot 2.3.19 answered for the same message.</summary>
public class SectionTests
{
    private const string Nested =
        "From: a@b.c\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\npre\n" +
        "--zz\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n" +
        "--zz\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 soft=\nbreak  \nline2\n" +
        "--zz\nContent-Type: message/rfc822\n\nFrom: in@x\nContent-Type: multipart/alternative; boundary=yy\n\n" +
        "--yy\n\nalt1\n--yy\nContent-Type: text/html\n\n<p>\n--yy--\n--zz--\n";

    private const string Odd = "From: a@b.c\nSubject : spaced\nX-No colon line\nTo: t@x,\n  u@x\nsubject: second\n\nbody\rwith bare CR\nand NUL \0 here\n";

    private const string Rfc822Root = "From: a@b.c\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\nFrom: inner@x\nSubject: inner\n\ninner body\n";

    private const string NoEoh = "From: a@b.c\nSubject: no eoh";

    public static TheoryData<string, string, string> Cases => new()
    {
        { Nested, "1", "aGVsbG8gd29ybGQ=" },
        { Nested, "1.1", "aGVsbG8gd29ybGQ=" },
        { Nested, "1.MIME", "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" },
        { Nested, "2", "caf=C3=A9 soft=\r\nbreak  \r\nline2" },
        { Nested, "1.HEADER", "" },
        { Nested, "3.1", "alt1" },
        { Nested, "3.2.MIME", "Content-Type: text/html\r\n\r\n" },
        { Nested, "3.HEADER", "From: in@x\r\nContent-Type: multipart/alternative; boundary=yy\r\n\r\n" },
        { Nested, "3.HEADER.FIELDS (FROM)", "From: in@x\r\n\r\n" },
        { Nested, "3.TEXT", "--yy\r\n\r\nalt1\r\n--yy\r\nContent-Type: text/html\r\n\r\n<p>\r\n--yy--\r\n" },
        { Nested, "4", "" },
        { Nested, "HEADER.FIELDS (FROM TO)", "From: a@b.c\r\n\r\n" },
        { Nested, "HEADER.FIELDS.NOT (FROM)", "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n" },
        { Odd, "HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)", "From: a@b.c\r\nSubject : spaced\r\nTo: t@x,\r\n  u@x\r\nsubject: second\r\n\r\n" },
        { Odd, "1", "body\rwith bare CR\r\nand NUL \u0080 here\r\n" },
        { Odd, "TEXT", "body\rwith bare CR\r\nand NUL \u0080 here\r\n" },
        { Odd, "1.MIME", "From: a@b.c\r\nSubject : spaced\r\nX-No colon line\r\nTo: t@x,\r\n  u@x\r\nsubject: second\r\n\r\n" },
        { Odd, "1.1", "" },
        { Odd, "1.HEADER", "" },
        { Rfc822Root, "1", "From: inner@x\r\nSubject: inner\r\n\r\ninner body\r\n" },
        { Rfc822Root, "1.HEADER", "From: inner@x\r\nSubject: inner\r\n\r\n" },
        { Rfc822Root, "1.TEXT", "inner body\r\n" },
        { Rfc822Root, "1.1", "inner body\r\n" },
        { Rfc822Root, "1.MIME", "From: a@b.c\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" },
        { NoEoh, "HEADER", "From: a@b.c\r\nSubject: no eoh" },
        { NoEoh, "HEADER.FIELDS (FROM SUBJECT)", "From: a@b.c\r\nSubject: no eoh\r\n\r\n" },
        { NoEoh, "HEADER.FIELDS.NOT (FROM)", "Subject: no eoh" },
        { NoEoh, "TEXT", "" },
        { NoEoh, "", "From: a@b.c\r\nSubject: no eoh" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Extracts_like_dovecot(string message, string section, string expected)
    {
        var (stream, structure) = await OpenAsync(message);
        Assert.True(SectionSpec.TryParse(section, out var spec));
        var content = await MessageSections.GetAsync(stream, structure, spec);

        Assert.Equal(expected, Encoding.Latin1.GetString(await content.ToArrayAsync()));
        Assert.Equal(expected.Length, await content.GetLengthAsync());
    }

    [Theory]
    [InlineData(0, 10, "From: a@b.")]
    [InlineData(2, 10, "om: a@b.c\r")]
    [InlineData(11, 3, "\r\nS")]
    [InlineData(26, 100, "oh")]
    [InlineData(28, 5, "")]
    [InlineData(1000, 5, "")]
    public async Task Partial_offsets_count_crlf_bytes(long offset, long count, string expected)
    {
        var (stream, structure) = await OpenAsync(NoEoh);
        var content = MessageSections.GetMessage(stream, structure);
        Assert.Equal(expected, Encoding.Latin1.GetString(await content.ToArrayAsync(offset, count)));
    }

    [Fact]
    public async Task Binary_undoes_transfer_encodings()
    {
        var (stream, structure) = await OpenAsync(Nested);
        var base64 = MessageSections.GetBinary(stream, structure, [1]);
        var qp = MessageSections.GetBinary(stream, structure, [2]);

        Assert.Equal("hello world", Encoding.Latin1.GetString(await base64!.ToArrayAsync()));
        Assert.Equal(11, await base64.GetLengthAsync());
        Assert.Equal("caf\u00c3\u00a9 softbreak\r\nline2", Encoding.Latin1.GetString(await qp!.ToArrayAsync()));
    }

    [Fact]
    public async Task Binary_keeps_nul_and_refuses_unknown_encodings()
    {
        var (stream, structure) = await OpenAsync(Odd);
        Assert.Equal("body\rwith bare CR\r\nand NUL \0 here\r\n", Encoding.Latin1.GetString(await MessageSections.GetBinary(stream, structure, [1])!.ToArrayAsync()));

        var (uu, uuStructure) = await OpenAsync("Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin\n");
        Assert.Null(MessageSections.GetBinary(uu, uuStructure, [1]));
    }

    [Fact]
    public async Task Rfc822_shortcuts_cover_header_and_text()
    {
        var (stream, structure) = await OpenAsync(Rfc822Root);
        Assert.Equal("From: a@b.c\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n",
            Encoding.Latin1.GetString(await MessageSections.GetHeader(stream, structure).ToArrayAsync()));
        Assert.Equal(structure.Size, (await MessageSections.GetMessage(stream, structure).ToArrayAsync()).Length);
        Assert.Equal(structure.Size, structure.Root.HeaderSize + (await MessageSections.GetText(stream, structure).ToArrayAsync()).Length);
    }

    [Theory]
    [InlineData("", SectionKind.Body, 0)]
    [InlineData("1.2.3", SectionKind.Body, 3)]
    [InlineData("HEADER", SectionKind.Header, 0)]
    [InlineData("text", SectionKind.Text, 0)]
    [InlineData("4.MIME", SectionKind.Mime, 1)]
    [InlineData("2.HEADER.FIELDS (A \"B C\")", SectionKind.HeaderFields, 1)]
    [InlineData("HEADER.FIELDS.NOT (X)", SectionKind.HeaderFieldsNot, 0)]
    public void Parses_section_text(string text, SectionKind kind, int depth)
    {
        Assert.True(SectionSpec.TryParse(text, out var spec));
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(depth, spec.Part.Count);
    }

    [Theory]
    [InlineData("MIME"), InlineData("1."), InlineData("0"), InlineData("1.X"), InlineData("HEADER.FIELDS ()"), InlineData("1HEADER")]
    public void Rejects_bad_section_text(string text) => Assert.False(SectionSpec.TryParse(text, out _));

    internal static async Task<(Stream, MimeStructure)> OpenAsync(string message)
    {
        var stream = new MemoryStream(Encoding.Latin1.GetBytes(message));
        var structure = await MimeStructure.ParseAsync(stream);
        return (stream, structure);
    }
}
