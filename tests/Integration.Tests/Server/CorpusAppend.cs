using System.Globalization;
using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>APPENDs corpus messages in the same order, with the same flags and dates, to every connection given,
/// so differential tests compare servers holding the same mailbox.</summary>
internal static class CorpusAppend
{
    /// <summary>Corpus messages [<paramref name="first"/>, first + count) go to INBOX; INTERNALDATEs spread over 2002
    /// in <paramref name="zone"/> (hours east of UTC, cycled per message when several are given).</summary>
    public static async Task AppendAsync(IReadOnlyList<RawImapConnection> connections, int first, int count, params int[] zones)
    {
        zones = zones.Length == 0 ? [0] : zones;
        for (int i = first; i < first + count; i++)
        {
            var bytes = await Corpus.ReadAsync(i);
            var flags = (i % 4) switch { 0 => "(\\Seen)", 1 => "(\\Seen \\Flagged)", 2 => "(\\Answered)", _ => "()" };
            var zone = TimeSpan.FromHours(zones[i % zones.Length]);
            var date = new DateTimeOffset(2002, 1 + i % 12, 1 + i % 28, 10, i % 60, 0, zone);
            var text = date.ToString("dd-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
                + (zone < TimeSpan.Zero ? "-" : "+") + zone.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
            foreach (var connection in connections)
            {
                await connection.SendRawAsync(Encoding.ASCII.GetBytes($"P{i} APPEND INBOX {flags} \"{text}\" {{{bytes.Length}+}}\r\n"));
                await connection.SendRawAsync(bytes);
                await connection.SendLineAsync("");
                string line;
                do
                {
                    line = await connection.ReadResponseLineAsync();
                }
                while (!line.StartsWith($"P{i} ", StringComparison.Ordinal));
                Assert.StartsWith($"P{i} OK", line);
            }
        }
    }
}
