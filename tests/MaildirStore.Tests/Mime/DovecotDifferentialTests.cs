using System.Globalization;
using System.Text;
using ImapProxy.Store.Mime;
using ImapProxy.TestSupport;

namespace ImapProxy.Store.Tests.Mime;

/// <summary>
/// Loads the whole SpamAssassin corpus (6,046 messages) into a real Dovecot 2.3 and compares, message by message,
/// its FETCH answer with ours byte for byte: RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, BODY,
/// BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)], BODY[1] and BODY[TEXT].
/// Bytes, not a parsed tree, so quoting and literal choices are compared too (BODY[...] sections are always
/// literals on both sides).
/// Known classes of difference we keep on purpose: none. (Dovecot quirks we copy instead, each named in the code:
/// folded Content-Description/ID unfolded, repeated address fields merged, a lone Content-Transfer-Encoding ignored
/// without MIME-Version/Content-Type, canonical "text/plain us-ascii 7bit" at the top level.)
/// </summary>
public sealed class DovecotDifferentialTests
{
    private const string Items =
        "RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)] BODY.PEEK[1] BODY.PEEK[TEXT]";

    private static readonly SectionSpec HeaderFields =
        new([], SectionKind.HeaderFields, ["FROM", "TO", "CC", "SUBJECT", "DATE", "MESSAGE-ID"]);

    [Fact]
    public async Task Every_corpus_message_fetches_exactly_as_from_dovecot()
    {
        var files = Corpus.Files;
        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => bed.Maildir().AddFilesAsync("INBOX", files));
        await using var imap = await dovecot.ConnectAsync();
        imap.ReadTimeout = TimeSpan.FromMinutes(5);
        Assert.True((await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}")).IsOk);
        Assert.True((await imap.CommandAsync("SELECT INBOX")).IsOk);

        var fetch = await imap.CommandAsync($"FETCH 1:* ({Items})");
        Assert.True(fetch.IsOk, fetch.Completion);
        var responses = fetch.Untagged.Where(l => l.Contains(" FETCH (", StringComparison.Ordinal)).ToList();
        Assert.Equal(files.Count, responses.Count);

        var mismatches = new List<string>();
        for (int i = 0; i < files.Count; i++)
        {
            string ours = await OurFetchLineAsync(i + 1, files[i]);
            if (!string.Equals(ours, responses[i], StringComparison.Ordinal))
            {
                mismatches.Add($"{Path.GetFileName(files[i])}:\n dovecot: {Shorten(responses[i], ours)}\n ours:    {Shorten(ours, responses[i])}");
            }
        }
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {files.Count} messages differ from Dovecot:\n" + string.Join("\n", mismatches.Take(5)));
    }

    /// <summary>Our answer to the same FETCH, in the wire form RawImapConnection gives (literals inlined).</summary>
    private static async Task<string> OurFetchLineAsync(int sequence, string file)
    {
        await using var stream = File.OpenRead(file);
        var summary = await MessageAnalyzer.AnalyzeAsync(stream);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"* {sequence} FETCH (RFC822.SIZE {summary.Rfc822Size} ENVELOPE ")
          .Append(Latin1(summary.Envelope)).Append(" BODYSTRUCTURE ").Append(Latin1(summary.BodyStructure))
          .Append(" BODY ").Append(Latin1(summary.Body));
        await AppendSectionAsync(sb, stream, summary.Structure, "BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)]", HeaderFields);
        await AppendSectionAsync(sb, stream, summary.Structure, "BODY[1]", new SectionSpec([1], SectionKind.Body));
        await AppendSectionAsync(sb, stream, summary.Structure, "BODY[TEXT]", new SectionSpec([], SectionKind.Text));
        return sb.Append(')').ToString();
    }

    private static async Task AppendSectionAsync(StringBuilder sb, Stream stream, MimeStructure structure, string name, SectionSpec spec)
    {
        var content = await MessageSections.GetAsync(stream, structure, spec);
        var bytes = await content.ToArrayAsync();
        Assert.Equal(bytes.Length, await content.GetLengthAsync());
        sb.Append(' ').Append(name).Append(CultureInfo.InvariantCulture, $" {{{bytes.Length}}}\r\n").Append(Latin1(bytes));
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>The part around the first difference, so a failure message stays readable.</summary>
    private static string Shorten(string text, string other)
    {
        int i = 0;
        while (i < text.Length && i < other.Length && text[i] == other[i])
        {
            i++;
        }
        int start = Math.Max(0, i - 60);
        return "…" + text.Substring(start, Math.Min(160, text.Length - start)).ReplaceLineEndings("⏎");
    }
}
