using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

public class MessageAnalyzerTests
{
    internal const string Sample =
        "From: \"Joe Q. Public\" <john.q.public@example.com>\n" +
        "To: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>\n" +
        "Cc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>\n" +
        "Subject: Saying\n  Hello\n" +
        "Date: Fri, 21 Nov 1997 09:55:06\n -0600\n" +
        "Message-ID: <1234@local.machine.example>\n" +
        "Mime-Version: 1.0\n" +
        "Content-Type: multipart/mixed; boundary=\"XX\"\n" +
        "\n" +
        "preamble\n" +
        "--XX\n" +
        "Content-Type: text/plain; charset=utf-8\n" +
        "Content-Description: a\n  folded desc\n" +
        "\n" +
        "hello\n" +
        "--XX\n" +
        "Content-Type: message/rfc822\n" +
        "\n" +
        "From: a@b\n" +
        "Subject: inner\n" +
        "\n" +
        "inner body\n" +
        "--XX--\n" +
        "epilogue\n";

    internal static Task<MessageSummary> AnalyzeAsync(string message) =>
        MessageAnalyzer.AnalyzeAsync(new MemoryStream(Encoding.Latin1.GetBytes(message))).AsTask();

    // The summary's three wire strings share one builder per thread: each must be what a fresh writer gives, whatever
    // was summarised before it (a huge header that outgrows the kept builder included).
    [Fact]
    public async Task Summaries_in_a_row_match_fresh_writers()
    {
        string huge = "From: a@b\nSubject: " + new string('x', 100_000) + "\nX-Long: " + new string('y', 50_000) + "\n\nbody\n";
        foreach (var message in new[] { Sample, huge, "Subject: short\n\nbody\n", Sample, "no header at all" })
        {
            var summary = await AnalyzeAsync(message);
            var fields = summary.Structure.Root.MessageFields ?? [];
            Assert.Equal("(" + Encoding.Latin1.GetString(EnvelopeWriter.Write(fields)) + ")", Encoding.Latin1.GetString(summary.Envelope));
            Assert.Equal("(" + Encoding.Latin1.GetString(BodyStructureWriter.Write(summary.Structure.Root, extended: true)) + ")",
                Encoding.Latin1.GetString(summary.BodyStructure));
            Assert.Equal("(" + Encoding.Latin1.GetString(BodyStructureWriter.Write(summary.Structure.Root, extended: false)) + ")",
                Encoding.Latin1.GetString(summary.Body));
        }
    }

    // Expected values are Dovecot 2.3.19's FETCH output for the same file.
    [Fact]
    public async Task Sample_matches_dovecot_output()
    {
        var summary = await AnalyzeAsync(Sample);

        Assert.Equal(565, summary.Rfc822Size);
        Assert.Equal(
            "(\"Fri, 21 Nov 1997 09:55:06 -0600\" {12}\r\nSaying Hello ((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) " +
            "((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) ((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) " +
            "((\"Mary Smith\" NIL \"mary\" \"x.test\")(NIL NIL \"jdoe\" \"example.org\")(\"Who?\" NIL \"one\" \"y.test\")) " +
            "((NIL NIL \"boss\" \"nil.test\")({16}\r\nGiant; \"Big\" Box NIL \"sysservices\" \"example.net\")) NIL NIL \"<1234@local.machine.example>\")",
            Encoding.Latin1.GetString(summary.Envelope));
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL \"a  folded desc\" \"7bit\" 5 0 NIL NIL NIL NIL)" +
            "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 39 (NIL \"inner\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL) " +
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"XX\") NIL NIL NIL)",
            Encoding.Latin1.GetString(summary.BodyStructure));
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL \"a  folded desc\" \"7bit\" 5 0)" +
            "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 39 (NIL \"inner\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL) " +
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0) 3) \"mixed\")",
            Encoding.Latin1.GetString(summary.Body));
    }

    [Fact]
    public async Task Summary_fields_are_decoded()
    {
        var summary = await AnalyzeAsync(Sample);

        Assert.Equal("<1234@local.machine.example>", summary.MessageId);
        Assert.Equal("Saying  Hello", summary.Subject);
        Assert.Equal(new DateTimeOffset(1997, 11, 21, 9, 55, 6, TimeSpan.FromHours(-6)), summary.Date);
        Assert.Equal(Sample.Length + Sample.Count(c => c == '\n'), summary.Rfc822Size);
    }

    [Fact]
    public async Task Crlf_and_lf_files_give_the_same_summary()
    {
        var lf = await AnalyzeAsync(Sample);
        var crlf = await AnalyzeAsync(Sample.Replace("\n", "\r\n"));

        Assert.Equal(lf.Rfc822Size, crlf.Rfc822Size);
        Assert.Equal(lf.Envelope, crlf.Envelope);
        Assert.Equal(lf.BodyStructure, crlf.BodyStructure);
        Assert.Equal(Sample.Length, lf.RawSize);
        Assert.Equal(crlf.Rfc822Size, crlf.RawSize);
    }
}
