using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests;

/// <summary>The shared message sources: the fetched corpus and the synthetic generator.</summary>
public sealed class CorpusAndSyntheticMailTests
{
    [Fact]
    public void Corpus_is_complete_and_has_no_mbox_from_lines()
    {
        Assert.Equal(Corpus.ExpectedCount, Corpus.Files.Count);
        foreach (var file in Corpus.Files.Where((_, i) => i % 100 == 0))
        {
            var head = File.ReadAllBytes(file).AsSpan(0, 5).ToArray();
            Assert.NotEqual("From "u8.ToArray(), head);
        }
    }

    [Fact]
    public void Synthetic_messages_are_deterministic_and_varied()
    {
        var first = SyntheticMail.Generate(2000).ToArray();
        var again = SyntheticMail.Generate(2000).ToArray();
        Assert.All(Enumerable.Range(0, 2000), i => Assert.Equal(first[i], again[i]));
        Assert.NotEqual(first[0], SyntheticMail.Create(0, seed: 2));

        var texts = first.Select(m => Encoding.UTF8.GetString(m)).ToArray();
        Assert.Contains(texts, t => t.Contains("multipart/alternative", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("multipart/mixed", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("message/rfc822", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Subject: =?UTF-8?B?", StringComparison.Ordinal));
        Assert.Contains(first, m => m.Length > 200_000);
        Assert.All(texts, t => Assert.DoesNotContain("\n", t.Replace("\r\n", "", StringComparison.Ordinal)));
        Assert.All(first.Take(50), m => Assert.DoesNotContain((byte)'\r', SyntheticMail.Create(Array.IndexOf(first, m), crlf: false)));
    }

    [Fact]
    public async Task Dovecot_parses_synthetic_messages_structure_and_search_tokens()
    {
        const int count = 300;
        await using var dovecot = await DovecotTestBed.StartAsync(seed: async bed =>
        {
            var maildir = bed.Maildir();
            for (var i = 0; i < count; i++)
            {
                await maildir.AddAsync("INBOX", SyntheticMail.Create(i, crlf: false), internalDate: SyntheticMail.DateOf(i));
            }
        });
        await using var imap = await dovecot.ConnectAsync();
        await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        Assert.Contains($"* {count} EXISTS", (await imap.CommandAsync("EXAMINE INBOX")).Lines);

        var search = await imap.CommandAsync($"UID SEARCH BODY {SyntheticMail.TokenOf(123)}");
        Assert.Contains("* SEARCH 124", search.Lines);

        var structures = (await imap.CommandAsync("FETCH 1:* BODYSTRUCTURE")).Untagged.ToArray();
        Assert.Equal(count, structures.Length);
        Assert.Contains(structures, s => s.Contains("\"alternative\"", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(structures, s => s.Contains("\"mixed\"", StringComparison.OrdinalIgnoreCase));

        var subject = Encoding.UTF8.GetString(SyntheticMail.Create(7)).Split("\r\n").First(l => l.StartsWith("Subject: ", StringComparison.Ordinal));
        var envelope = await imap.CommandAsync("FETCH 8 ENVELOPE");
        Assert.Contains(subject["Subject: ".Length..], envelope.Lines[0]);
    }
}
