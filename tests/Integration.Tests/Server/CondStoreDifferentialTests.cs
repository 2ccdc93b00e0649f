using System.Text.RegularExpressions;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// STORE and UID STORE once CONDSTORE is on, with Dovecot 2.3.19 as the reference. RFC 7162 §3.1 has the server
/// put UID and MODSEQ in every untagged FETCH a STORE causes, and §3.1.3 has it send that FETCH even for .SILENT;
/// messages that fail UNCHANGEDSINCE are named in the MODIFIED response code, and a session without CONDSTORE
/// hears of the changes as plain FETCH FLAGS.
/// </summary>
public sealed partial class CondStoreDifferentialTests
{
    [Fact]
    public async Task Store_with_condstore_matches_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (dovecotB, oursB) = await pair.ConnectAgainAsync();
        var sessions = new[] { (A: pair.Dovecot, B: dovecotB), (A: pair.Ours, B: oursB) };
        await CorpusAppend.AppendAsync([pair.Dovecot, pair.Ours], 40, 6);
        var transcripts = new List<string>[] { [], [] };
        for (var side = 0; side < 2; side++)
        {
            var (a, b) = sessions[side];
            var log = transcripts[side];
            var modSeqs = new List<string>();
            async Task<ImapExchange> Run(string who, RawImapConnection c, string command)
            {
                var exchange = await c.CommandAsync(command);
                // The MODSEQ values quoted in commands are each server's own.
                log.Add($"{who}: " + modSeqs.Select((m, i) => (m, i)).Aggregate(command, (text, x) => text.Replace($"UNCHANGEDSINCE {x.m})", $"UNCHANGEDSINCE m{x.i})")));
                // B never enables CONDSTORE, and Dovecot 2.3.19 then leaves HIGHESTMODSEQ out of SELECT (we send it,
                // as RFC 7162 §3.1.2.1 asks of a CONDSTORE server).
                log.AddRange(exchange.Lines.Where(l => who == "A" || !l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal))
                    .Select(l => $"{who} S: {TranscriptMask.Mask(l)}"));
                return exchange;
            }

            await Run("B", b, "SELECT INBOX");
            await Run("A", a, "ENABLE CONDSTORE");
            await Run("A", a, "SELECT INBOX");
            await Run("A", a, "STORE 1 +FLAGS.SILENT (\\Flagged)");
            await Run("A", a, "UID STORE 2 +FLAGS.SILENT (\\Flagged)");
            await Run("A", a, "STORE 1 +FLAGS.SILENT (\\Flagged)");      // already set: nothing changes
            await Run("A", a, "STORE 1 +FLAGS (\\Flagged)");
            await Run("A", a, "STORE 3 FLAGS (\\Seen)");
            await Run("A", a, "UID STORE 3:4 -FLAGS (\\Seen)");
            // UNCHANGEDSINCE the highest MODSEQ of 4:5 passes for both; after that STORE, both fail it. (Message 6 is
            // left out: whether its MODSEQ is below that depends on how each server numbers appends.)
            var fetched = await Run("A", a, "FETCH 4:5 (MODSEQ)");
            modSeqs.Add(ModSeqsOf(fetched).Max().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Run("A", a, $"STORE 4:5 (UNCHANGEDSINCE {modSeqs[0]}) +FLAGS.SILENT (\\Answered)");
            await Run("A", a, $"STORE 4:5 (UNCHANGEDSINCE {modSeqs[0]}) +FLAGS.SILENT (\\Draft)");
            await Run("A", a, $"UID STORE 4:5 (UNCHANGEDSINCE {modSeqs[0]}) -FLAGS (\\Answered)");
            var fetchedAgain = await Run("A", a, "FETCH 5 (MODSEQ)");
            modSeqs.Add(ModSeqsOf(fetchedAgain).Max().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Run("A", a, $"STORE 5 (UNCHANGEDSINCE {modSeqs[1]}) FLAGS (\\Draft)");
            await Run("A", a, "STORE 1:2 (UNCHANGEDSINCE 0) +FLAGS (\\Deleted)");
            await Run("B", b, "STORE 6 +FLAGS.SILENT (\\Seen)");
            await Run("B", b, "STORE 1 -FLAGS (\\Flagged)");
            await Run("A", a, "NOOP");
            await Run("B", b, "NOOP");
            await Run("A", a, "FETCH 1:* (FLAGS)");
        }
        TranscriptMask.AssertSame(transcripts[0], transcripts[1]);
    }

    private static IEnumerable<ulong> ModSeqsOf(ImapExchange exchange) =>
        ModSeqNumber().Matches(string.Join("\n", exchange.Lines)).Select(m => ulong.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"MODSEQ \((\d+)\)")]
    private static partial Regex ModSeqNumber();
}
