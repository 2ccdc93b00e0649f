using System.Text.RegularExpressions;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// Hides what legitimately differs between two servers' answers to the same conversation: UIDVALIDITY and MODSEQ
/// numbers (each server picks its own) and the free text of status responses.
/// </summary>
internal static partial class TranscriptMask
{
    public static string Mask(string line)
    {
        line = NumberAfter().Replace(line, m => m.Groups[1].Value + " n");
        line = ModSeqList().Replace(line, "MODSEQ (n)");
        line = QuotedStatusName().Replace(line, "* STATUS $1 ");   // Dovecot sends an atom where it can, we quote
        var text = ResponseText().Match(line);
        return text.Success ? text.Groups[1].Value : line;
    }

    /// <summary>The lines at which two transcripts differ, for an assertion message that shows both.</summary>
    public static List<string> Differences(IReadOnlyList<string> dovecot, IReadOnlyList<string> ours) =>
        Enumerable.Range(0, Math.Max(dovecot.Count, ours.Count))
            .Where(i => dovecot.ElementAtOrDefault(i) != ours.ElementAtOrDefault(i))
            .Select(i => $"line {i}:\n  dovecot: {dovecot.ElementAtOrDefault(i)}\n  ours:    {ours.ElementAtOrDefault(i)}")
            .ToList();

    /// <summary>Asserts that the transcripts agree line for line, showing both in full when they do not.</summary>
    public static void AssertSame(IReadOnlyList<string> dovecot, IReadOnlyList<string> ours)
    {
        var differences = Differences(dovecot, ours);
        Assert.True(differences.Count == 0, $"{differences.Count} differences from Dovecot:\n" + string.Join("\n", differences)
            + "\n--- dovecot:\n" + string.Join("\n", dovecot) + "\n--- ours:\n" + string.Join("\n", ours));
    }

    [GeneratedRegex(@"(UIDVALIDITY|HIGHESTMODSEQ|APPENDUID|COPYUID) \d+")]
    private static partial Regex NumberAfter();

    [GeneratedRegex(@"MODSEQ \(\d+\)")]
    private static partial Regex ModSeqList();

    [GeneratedRegex(@"^\* STATUS ""([A-Za-z0-9]+)"" ")]
    private static partial Regex QuotedStatusName();

    /// <summary>A status response: keep the status and any [code], drop the human text.</summary>
    [GeneratedRegex(@"^(\S+ (?:OK|NO|BAD|BYE)(?: \[[^\]]*\])?).*$")]
    private static partial Regex ResponseText();
}
