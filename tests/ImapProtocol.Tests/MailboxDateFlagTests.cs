using System.Text;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class MailboxDateFlagTests
{
    private static readonly GrammarRule<string> Mailbox = (ref ImapReader r, out string v) => r.TryReadMailbox(out v);
    private static readonly GrammarRule<string> Utf8Mailbox = (ref ImapReader r, out string v) => r.TryReadMailbox(out v, utf8: true);
    private static readonly GrammarRule<string> ListMailbox = (ref ImapReader r, out string v) => r.TryReadListMailbox(out v);
    private static readonly GrammarRule<DateOnly> Date = (ref ImapReader r, out DateOnly v) => r.TryReadDate(out v);
    private static readonly GrammarRule<DateTimeOffset> DateTime = (ref ImapReader r, out DateTimeOffset v) => r.TryReadDateTime(out v);
    private static readonly GrammarRule<IReadOnlyList<string>> Flags = (ref ImapReader r, out IReadOnlyList<string> v) => r.TryReadFlagList(out v);
    private static readonly GrammarRule<IReadOnlyList<string>> PermFlags = (ref ImapReader r, out IReadOnlyList<string> v) => r.TryReadFlagList(out v, allowWildcard: true);

    [Theory]
    [InlineData("inbox ", "INBOX")]
    [InlineData("\"InBoX\"", "INBOX")]
    [InlineData("INBOX.Sent ", "INBOX.Sent")]
    [InlineData("&ZeVnLIqe- ", "日本語")]
    [InlineData("~peter/mail/&U,BTFw-/&ZeVnLIqe- ", "~peter/mail/台北/日本語")]
    [InlineData("a&-b ", "a&b")]
    [InlineData("&AOk-t&AOk- ", "été")]
    [InlineData("&2D3eAA- ", "\U0001F600")]
    [InlineData("\"with space\"", "with space")]
    [InlineData("{3}\r\nabc", "abc")]
    public void Mailbox_valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Mailbox, input));

    [Theory]
    [InlineData("& ")]
    [InlineData("&ZeVnLIqe ")]
    [InlineData("&AGE- ")]
    [InlineData("&ZeV!LIqe- ")]
    [InlineData("&AOl- ")]
    [InlineData("&AOk-&AOk- ")]
    [InlineData("&2D0- ")]
    [InlineData("&3gA- ")]
    [InlineData("&Jjo ")]
    public void Mailbox_invalid(string input) => Grammar.Invalid(Mailbox, input);

    [Fact]
    public void Mailbox_8bit_is_rejected_in_utf7_mode_and_accepted_in_utf8_mode()
    {
        var bytes = Encoding.UTF8.GetBytes("\"Entwürfe\"");
        Grammar.Invalid(Mailbox, bytes);
        Assert.Equal("Entwürfe", Grammar.Valid(Utf8Mailbox, bytes));
        Assert.Equal("a&b", Grammar.Valid(Utf8Mailbox, "a&b "));
    }

    [Theory]
    [InlineData("* ", "*")]
    [InlineData("INBOX.% ", "INBOX.%")]
    [InlineData("\"\"", "")]
    [InlineData("&ZeVnLIqe-/* ", "日本語/*")]
    public void List_mailbox_valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(ListMailbox, input));

    [Theory]
    [InlineData("1-Feb-1994 ", 1994, 2, 1)]
    [InlineData("\"28-feb-2000\"", 2000, 2, 28)]
    [InlineData("29-Feb-2000)", 2000, 2, 29)]
    [InlineData("31-Dec-9999 ", 9999, 12, 31)]
    public void Date_valid(string input, int y, int m, int d) => Assert.Equal(new DateOnly(y, m, d), Grammar.Valid(Date, input));

    [Theory]
    [InlineData("29-Feb-2001 ")]
    [InlineData("0-Feb-2001 ")]
    [InlineData("1-Feb-94 ")]
    [InlineData("001-Feb-1994 ")]
    [InlineData("1 Feb 1994 ")]
    [InlineData("\"1-Feb-1994 \"")]
    public void Date_invalid(string input) => Grammar.Invalid(Date, input);

    [Theory]
    [InlineData("\"17-Jul-1996 02:44:25 -0700\"", "1996-07-17T02:44:25-07:00")]
    [InlineData("\" 7-Jul-1996 02:44:25 +0530\"", "1996-07-07T02:44:25+05:30")]
    [InlineData("\"01-jan-2024 00:00:00 +0000\"", "2024-01-01T00:00:00+00:00")]
    public void DateTime_valid(string input, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), Grammar.Valid(DateTime, input));

    [Theory]
    [InlineData("17-Jul-1996 02:44:25 -0700 ")]
    [InlineData("\"7-Jul-1996 02:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 24:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 02:44:25 -1500\"")]
    [InlineData("\"17-Jul-1996 02:44:25 0700\"")]
    [InlineData("\"17-Jul-1996 02:44 -0700\"")]
    public void DateTime_invalid(string input) => Grammar.Invalid(DateTime, input);

    [Fact]
    public void Dates_format_back()
    {
        Assert.Equal("1-Feb-1994", ImapDate.FormatDate(new DateOnly(1994, 2, 1)));
        Assert.Equal("07-Jul-1996 02:44:25 +0530", ImapDate.FormatDateTime(new DateTimeOffset(1996, 7, 7, 2, 44, 25, new TimeSpan(5, 30, 0))));
    }

    [Theory]
    [InlineData("()", "")]
    [InlineData("(\\seen \\ANSWERED $Forwarded)", "\\Seen,\\Answered,$Forwarded")]
    [InlineData("(\\Flagged \\Deleted \\Draft \\Recent \\XExt)", "\\Flagged,\\Deleted,\\Draft,\\Recent,\\XExt")]
    public void Flag_list_valid(string input, string expected) => Assert.Equal(expected, string.Join(",", Grammar.Valid(Flags, input)));

    [Theory]
    [InlineData("(\\*)")]
    [InlineData("(\\Seen  \\Draft)")]
    [InlineData("(\"x\")")]
    [InlineData("\\Seen")]
    [InlineData("(\\)")]
    public void Flag_list_invalid(string input) => Grammar.Invalid(Flags, input);

    [Fact]
    public void Permanent_flags_allow_the_wildcard()
    {
        Assert.Equal([@"\Seen", @"\*"], Grammar.Valid(PermFlags, @"(\Seen \*)"));
        Assert.True(ImapFlags.IsSystemFlag(@"\seen"));
        Assert.False(ImapFlags.IsSystemFlag("$Junk"));
        Assert.True(ImapFlags.IsKeyword("$Junk"));
        Assert.True(MailboxName.IsInbox("iNbOx"));
    }
}
