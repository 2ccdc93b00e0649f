using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// SORT by every key and THREAD by both algorithms over the same corpus messages must give Dovecot's answers.
/// </summary>
public sealed class SortThreadDifferentialTests
{
    /// <summary>The first 300 corpus messages are ham from mailing lists: many replies, References and forwards.</summary>
    private const int MessageCount = 300;

    private static readonly string[] Commands =
    [
        "SORT (ARRIVAL) UTF-8 ALL",
        "SORT (CC) UTF-8 ALL",
        "SORT (DATE) UTF-8 ALL",
        "SORT (FROM) UTF-8 ALL",
        "SORT (SIZE) UTF-8 ALL",
        "SORT (SUBJECT) UTF-8 ALL",
        "SORT (TO) UTF-8 ALL",
        "SORT (REVERSE DATE) UTF-8 ALL",
        "SORT (REVERSE SUBJECT REVERSE ARRIVAL) US-ASCII ALL",
        "SORT (FROM DATE) UTF-8 UNSEEN",
        "SORT (CC REVERSE SIZE) UTF-8 OR FLAGGED ANSWERED",
        "UID SORT (TO SUBJECT) UTF-8 SUBJECT re",
        // ESORT (RFC 5267): Dovecot 2.3.19 gives MIN and MAX as the first and last in sort order, ALL in sort order.
        "SORT RETURN (MIN MAX COUNT) (DATE) UTF-8 ALL",
        "UID SORT RETURN (ALL) (SUBJECT) UTF-8 ALL",
        "SORT RETURN () (REVERSE ARRIVAL) UTF-8 SUBJECT re",
        "UID SORT RETURN (MIN MAX ALL COUNT) (FROM SIZE) US-ASCII UNSEEN",
        "SORT RETURN (COUNT ALL) (CC) UTF-8 SUBJECT no-such-subject-anywhere",
        "THREAD ORDEREDSUBJECT UTF-8 ALL",
        "THREAD REFERENCES UTF-8 ALL",
        "UID THREAD REFERENCES US-ASCII ALL",
        "UID THREAD ORDEREDSUBJECT UTF-8 SINCE 1-Jun-2002",
        // Messages were appended with dates in -0700, +0200, +0900 (and -0500 in the edge set): Dovecot 2.3.19 on
        // Maildir answers INTERNALDATE in its own zone (the file mtime), not the APPEND zone; so do we.
        "FETCH 1:* (INTERNALDATE)",
    ];

    [Fact]
    public async Task Edge_cases_match_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (d, o) = (pair.Dovecot, pair.Ours);
        foreach (var connection in new[] { d, o })
        {
            foreach (var (arrival, header) in SortThreadEdgeMail.Messages)
            {
                var bytes = SortThreadEdgeMail.Bytes(header);
                await connection.SendRawAsync(System.Text.Encoding.ASCII.GetBytes($"E APPEND INBOX \"{arrival}\" {{{bytes.Length}+}}\r\n"));
                await connection.SendRawAsync(bytes);
                await connection.SendLineAsync("");
                string line;
                do
                {
                    line = await connection.ReadResponseLineAsync();
                }
                while (!line.StartsWith("E ", StringComparison.Ordinal));
                Assert.StartsWith("E OK", line);
            }
            Assert.True((await connection.CommandAsync("SELECT INBOX")).IsOk);
        }
        var differences = new List<string>();
        foreach (var command in Commands)
        {
            await DifferentialTests.CompareAsync(d, o, command, differences);
        }
        Assert.True(differences.Count == 0, $"{differences.Count} differences from Dovecot:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task Sort_and_thread_answers_match_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (d, o) = (pair.Dovecot, pair.Ours);
        await CorpusAppend.AppendAsync([d, o], 0, MessageCount, 0, -7, 2, 9);
        Assert.True((await d.CommandAsync("SELECT INBOX")).IsOk);
        Assert.True((await o.CommandAsync("SELECT INBOX")).IsOk);

        var differences = new List<string>();
        foreach (var command in Commands)
        {
            await DifferentialTests.CompareAsync(d, o, command, differences);
        }
        // The mailbox must make the comparison worth something: real threads, not 300 singletons.
        var threads = (await d.CommandAsync("THREAD REFERENCES UTF-8 ALL")).Untagged.Single();
        var sorted = (await d.CommandAsync("SORT (SUBJECT) UTF-8 ALL")).Untagged.Single();
        Assert.Equal(MessageCount, sorted.Split(' ').Length - 2);
        Assert.True(System.Text.RegularExpressions.Regex.Count(threads, @" \d") > 40 && threads.Contains("(("), "too few threads: " + threads);
        Assert.True(differences.Count == 0, $"{differences.Count} differences from Dovecot:\n" + string.Join("\n", differences));
    }
}
