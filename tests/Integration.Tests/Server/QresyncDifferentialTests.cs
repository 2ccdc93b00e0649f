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
            var validity = "";
            async Task<ImapExchange> Run(string command)
            {
                var exchange = await c.CommandAsync(command);
                // Each server picked its own UIDVALIDITY, and the commands quote it.
                log.Add("C: " + (validity.Length > 0 ? command.Replace(validity, "v", StringComparison.Ordinal) : command));
                log.AddRange(exchange.Lines.Select(l => "S: " + TranscriptMask.Mask(l)));
                return exchange;
            }

            await Run("ENABLE QRESYNC");
            var select = await Run("SELECT INBOX");
            validity = Regex.Match(string.Join("\n", select.Lines), @"UIDVALIDITY (\d+)").Groups[1].Value;
            var modSeq = Regex.Match(string.Join("\n", select.Lines), @"HIGHESTMODSEQ (\d+)").Groups[1].Value;
            await Run("STORE 2,5 +FLAGS (\\Flagged)");
            await Run("STORE 3:4,7 +FLAGS.SILENT (\\Deleted)");   // RFC 7162 §3.1.3: FETCH (UID MODSEQ) all the same
            await Run("EXPUNGE");
            await Run($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)");
            await Run($"UID FETCH 5:* (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)");
            await Run("UNSELECT");
            await Run($"SELECT INBOX (QRESYNC ({validity} {modSeq}))");
            await Run($"EXAMINE INBOX (QRESYNC ({validity} {modSeq} 1:4))");
            await Run($"EXAMINE INBOX (QRESYNC ({validity} {modSeq} 1:8 (1:8 1:8)))");
            await Run("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)");
        }
        TranscriptMask.AssertSame(transcripts[0], transcripts[1]);
    }
}
