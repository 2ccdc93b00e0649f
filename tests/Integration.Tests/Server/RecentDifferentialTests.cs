using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// \Recent (RFC 3501 §2.3.2) over two sessions, with Dovecot 2.3.19 as the reference: mail that arrives while no
/// session has the folder selected (APPEND from another session, COPY and MOVE in, a file dropped into the
/// Maildir) is \Recent for the first session that selects the folder afterwards and for no later one; EXAMINE
/// shows it without taking it; STATUS (RECENT) counts it; a session that has the folder selected takes what
/// arrives meanwhile.
/// </summary>
public sealed class RecentDifferentialTests
{
    [Fact]
    public async Task Recent_over_two_sessions_matches_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (dovecotB, oursB) = await pair.ConnectAgainAsync();
        var sessions = new[] { (A: pair.Dovecot, B: dovecotB), (A: pair.Ours, B: oursB) };
        var dropped = await Corpus.ReadAsync(20);
        var transcripts = new List<string>[] { [], [] };
        for (var side = 0; side < 2; side++)
        {
            var (a, b) = sessions[side];
            var log = transcripts[side];
            async Task<ImapExchange> Run(string who, RawImapConnection c, string command)
            {
                var exchange = await c.CommandAsync(command);
                log.Add($"{who}: {command}");
                // RFC 7162 §3.1.2.1 has a CONDSTORE server send HIGHESTMODSEQ on every SELECT; Dovecot 2.3.19 sends it
                // only once CONDSTORE is enabled. Not what this test is about.
                log.AddRange(exchange.Lines.Where(l => !l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal))
                    .Select(l => $"{who} S: {TranscriptMask.Mask(l)}"));
                return exchange;
            }

            await CorpusAppend.AppendAsync([a], 0, 3);                 // arrive while nobody has INBOX selected
            await Run("B", b, "STATUS INBOX (MESSAGES RECENT UNSEEN)");
            await Run("B", b, "EXAMINE INBOX");                        // sees them as \Recent, does not take them
            await Run("B", b, "FETCH 1:* (FLAGS)");
            await Run("A", a, "STATUS INBOX (RECENT)");
            await Run("A", a, "SELECT INBOX");                         // takes them
            await Run("A", a, "FETCH 1:* (FLAGS)");
            await Run("B", b, "UNSELECT");
            await Run("B", b, "EXAMINE INBOX");                        // nothing left for a later session
            await Run("B", b, "FETCH 1:* (FLAGS)");
            await Run("B", b, "UNSELECT");

            await CorpusAppend.AppendAsync([b], 3, 1);                 // arrives while A has INBOX selected
            await Run("A", a, "NOOP");
            await Run("B", b, "STATUS INBOX (RECENT)");
            await (side == 0 ? pair.DropIntoDovecotInboxAsync(dropped) : pair.DropIntoOurInboxAsync(dropped));                   // another Maildir writer, while A has it selected
            await Run("A", a, "NOOP");
            await Run("A", a, "FETCH 1:* (FLAGS)");

            await Run("A", a, "CREATE Other");
            await Run("A", a, "COPY 1:2 Other");
            await Run("A", a, "STATUS Other (MESSAGES RECENT)");
            await Run("B", b, "SELECT Other");
            await Run("B", b, "FETCH 1:* (FLAGS)");
            await Run("A", a, "STATUS Other (MESSAGES RECENT)");
            await Run("A", a, "UNSELECT");
            await Run("B", b, "MOVE 1 INBOX");                         // moved in while nobody has INBOX selected
            await Run("B", b, "STATUS INBOX (MESSAGES RECENT)");
            await Run("A", a, "EXAMINE INBOX");
            await Run("A", a, "UNSELECT");
            await Run("A", a, "SELECT INBOX");
            await Run("A", a, "FETCH 5:* (FLAGS)");
            await Run("B", b, "STATUS INBOX (MESSAGES RECENT)");
            await Run("A", a, "LOGOUT");
            await Run("B", b, "UNSELECT");   // (a re-SELECT would draw [CLOSED] from Dovecot even without QRESYNC)
            await Run("B", b, "SELECT INBOX");                         // A is gone: what it took stays taken
        }
        TranscriptMask.AssertSame(transcripts[0], transcripts[1]);
    }
}
