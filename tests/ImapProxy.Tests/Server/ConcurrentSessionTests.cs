using ImapProxy.Store;

namespace ImapProxy.Tests.Server;

/// <summary>Changes made by another session reach a selected session at the points RFC 3501 §7 allows.</summary>
public sealed class ConcurrentSessionTests
{
    [Fact]
    public async Task Other_sessions_changes_arrive_as_EXISTS_FETCH_and_EXPUNGE_but_no_EXPUNGE_during_FETCH()
    {
        await using var account = await TestAccount.CreateAsync();
        await account.SeedStandardAsync();
        var options = TranscriptRunner.TestServerOptions();
        await using var a = InMemoryConnection.Start(account.Resolver, options, loopback: true);
        await using var b = InMemoryConnection.Start(account.Resolver, options, loopback: true);
        await ReadUntilAsync(a, null);
        await ReadUntilAsync(b, null);
        await a.SendAsync("a1 LOGIN user secret\r\na2 SELECT INBOX\r\n", FeedMode.Whole);
        await ReadUntilAsync(a, "a2 ");
        await b.SendAsync("b1 LOGIN user secret\r\nb2 SELECT INBOX\r\nb3 STORE 2 +FLAGS (\\Flagged)\r\nb4 STORE 1 +FLAGS.SILENT (\\Deleted)\r\nb5 EXPUNGE\r\n", FeedMode.Whole);
        Assert.Contains("* 1 EXPUNGE", await ReadUntilAsync(b, "b5 "));
        var inbox = await account.Store.OpenFolderAsync("INBOX", CancellationToken.None);
        await account.AppendAsync("INBOX", "Subject: new\n\nnew\n");

        // FETCH uses sequence numbers: the flag change may be told, the expunge must wait.
        await a.SendAsync("a3 FETCH 1 (UID)\r\n", FeedMode.Whole);
        var duringFetch = await ReadUntilAsync(a, "a3 ");
        Assert.DoesNotContain(duringFetch, l => l.Contains("EXPUNGE"));
        Assert.Contains("* 1 FETCH (UID 1)", duringFetch);
        // The expunged message still counts until its EXPUNGE is sent: 3 + 1 new.
        Assert.Contains("* 4 EXISTS", duringFetch);
        Assert.Contains("* 2 FETCH (FLAGS (\\Flagged))", duringFetch);

        await a.SendAsync("a4 NOOP\r\n", FeedMode.Whole);
        var atNoop = await ReadUntilAsync(a, "a4 ");
        Assert.Equal(["* 1 EXPUNGE", "a4 OK NOOP completed"], atNoop);
        await a.SendAsync("a5 FETCH 1:* (UID)\r\n", FeedMode.Whole);
        var after = await ReadUntilAsync(a, "a5 ");
        Assert.Equal(["* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "a5 OK FETCH completed"], after);
        Assert.Equal(3, (await inbox.GetStatusAsync()).Messages);
    }

    [Fact]
    public async Task A_folder_released_after_its_last_session_left_answers_the_next_one_as_before()
    {
        await using var account = await TestAccount.CreateAsync();
        await account.SeedStandardAsync();
        await account.AppendAsync("INBOX", "Subject: new\n\nnew\n");   // \Recent for the next session
        var options = TranscriptRunner.TestServerOptions();
        await using var a = InMemoryConnection.Start(account.Resolver, options, loopback: true);
        await ReadUntilAsync(a, null);
        await a.SendAsync("a1 LOGIN user secret\r\na2 SELECT INBOX (CONDSTORE)\r\na3 STORE 2 +FLAGS (\\Flagged $Later)\r\n" +
                          "a4 FETCH 1:* (UID FLAGS MODSEQ)\r\n", FeedMode.Whole);
        var first = await ReadUntilAsync(a, "a4 ");
        Assert.Contains("* 1 RECENT", first);
        await account.Store.ReleaseIdleFoldersAsync(TimeSpan.Zero);   // Work, which nobody uses
        Assert.Equal(0, await account.Store.ReleaseIdleFoldersAsync(TimeSpan.Zero));   // INBOX is selected
        await a.SendAsync("a5 UNSELECT\r\n", FeedMode.Whole);
        await ReadUntilAsync(a, "a5 ");
        Assert.Equal(1, await account.Store.ReleaseIdleFoldersAsync(TimeSpan.Zero));   // INBOX, nobody has it selected

        await using var b = InMemoryConnection.Start(account.Resolver, options, loopback: true);
        await ReadUntilAsync(b, null);
        await b.SendAsync("b1 LOGIN user secret\r\nb2 SELECT INBOX (CONDSTORE)\r\nb3 FETCH 1:* (UID FLAGS MODSEQ)\r\n", FeedMode.Whole);
        var second = await ReadUntilAsync(b, "b3 ");
        Assert.Contains("* 0 RECENT", second);   // claimed by the first session
        Assert.Contains("* 4 EXISTS", second);
        ulong highest = first.Where(l => l.Contains(" FETCH (UID "))
            .Max(l => ulong.Parse(System.Text.RegularExpressions.Regex.Match(l, @"MODSEQ \((\d+)\)").Groups[1].Value));
        Assert.StartsWith($"* OK [HIGHESTMODSEQ {highest}]", Line(second, "HIGHESTMODSEQ"));
        Assert.Equal(Line(first, "UIDNEXT"), Line(second, "UIDNEXT"));
        var fetched = first.Where(l => l.Contains(" FETCH (UID ")).Select(l => l.Replace("\\Recent", "")).ToList();
        Assert.Equal(4, fetched.Count);
        Assert.Contains(fetched, l => l.Contains("\\Flagged") && l.Contains("$Later"));
        Assert.Equal(fetched, second.Where(l => l.Contains(" FETCH (UID ")));
    }

    private static string Line(List<string> lines, string code) => lines.Single(l => l.Contains("[" + code + " "));

    private static async Task<List<string>> ReadUntilAsync(InMemoryConnection connection, string? tagPrefix)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await connection.ReadLineAsync(TimeSpan.FromSeconds(10)) ?? throw new Xunit.Sdk.XunitException("no answer: " + string.Join("\n", lines));
            lines.Add(line);
            if (tagPrefix is null || line.StartsWith(tagPrefix, StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }
}
