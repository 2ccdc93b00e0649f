using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// The same corpus messages, APPENDed in the same order with the same dates and flags to Dovecot and to this
/// server, must get the same FETCH and SEARCH answers.
/// </summary>
public sealed class DifferentialTests
{
    private const int MessageCount = 120;

    private static readonly string[] FetchItems =
    [
        "RFC822.SIZE INTERNALDATE",
        "ENVELOPE",
        "BODYSTRUCTURE",
        "BODY",
        "BODY.PEEK[HEADER]",
        "BODY.PEEK[TEXT]",
        "BODY.PEEK[1]",
        "BODY.PEEK[1.MIME]",
        "BODY.PEEK[2]",
        "BODY.PEEK[HEADER.FIELDS (From Subject Date)]",
        "BODY.PEEK[HEADER.FIELDS.NOT (Received)]",
        "BODY.PEEK[]<0.200>",
    ];

    private static readonly string[] Searches =
    [
        "ALL", "SEEN", "UNSEEN", "FLAGGED", "ANSWERED NOT SEEN",
        "SUBJECT re", "SUBJECT \"free\"", "FROM yahoo", "TO example", "CC a",
        "HEADER X-Mailer \"\"", "HEADER Content-Type multipart",
        "BODY click", "BODY \"unsubscribe\"", "TEXT money", "TEXT \"razor\"",
        "LARGER 5000", "SMALLER 2000", "OR LARGER 10000 SMALLER 1500",
        "SINCE 1-Jan-2002", "BEFORE 1-Sep-2002", "ON 3-Mar-2002",
        "SENTSINCE 1-Aug-2002", "SENTBEFORE 1-Jan-2002", "SENTON 22-Aug-2002",
        "UID 5:40 NOT DELETED", "1:10,20:*",
    ];

    [Fact]
    public async Task Fetch_and_search_answers_match_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (d, o) = (pair.Dovecot, pair.Ours);
        await CorpusAppend.AppendAsync([d, o], 0, MessageCount);
        Assert.True((await d.CommandAsync("SELECT INBOX")).IsOk);
        Assert.True((await o.CommandAsync("SELECT INBOX")).IsOk);

        var differences = new List<string>();
        foreach (var items in FetchItems)
        {
            await CompareAsync(d, o, $"UID FETCH 1:* ({items})", differences);
        }
        foreach (var search in Searches)
        {
            await CompareAsync(d, o, $"SEARCH {search}", differences);
        }
        var byCommand = differences.GroupBy(x => x[..x.IndexOf(':')]).Select(g => $"[{g.Count()}x] " + g.First());
        Assert.True(differences.Count == 0, $"{differences.Count} differences from Dovecot:\n" + string.Join("\n", byCommand));
    }

    internal static async Task CompareAsync(RawImapConnection dovecot, RawImapConnection ours, string command, List<string> differences)
    {
        var expected = (await dovecot.CommandAsync(command)).Untagged.ToList();
        var actual = (await ours.CommandAsync(command)).Untagged.ToList();
        if (expected.Count != actual.Count)
        {
            differences.Add($"{command}: Dovecot {expected.Count} lines, ours {actual.Count}: dovecot[0]={Clip(expected.FirstOrDefault())} ours[0]={Clip(actual.FirstOrDefault())}");
            return;
        }
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i] != actual[i])
            {
                differences.Add($"{command}:\n  dovecot: {Clip(expected[i])}\n  ours:    {Clip(actual[i])}");
            }
        }
    }

    private static string Clip(string? line) => line is null ? "(none)" : line.Length > 400 ? line[..400] + "…" : line;
}
