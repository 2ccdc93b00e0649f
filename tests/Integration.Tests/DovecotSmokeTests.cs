using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests;

/// <summary>Speaks to a real Dovecot test bed over a raw socket: the test bed itself works end to end.</summary>
public sealed class DovecotSmokeTests
{
    [Fact]
    public async Task Capability_login_select_fetch_logout()
    {
        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed =>
            bed.Maildir().AddAsync("INBOX", "Subject: smoke\r\nFrom: a@example.org\r\n\r\nhello smoke\r\n"u8.ToArray(), flags: "S"));
        await using var imap = await dovecot.ConnectAsync();
        Assert.StartsWith("* OK [CAPABILITY IMAP4rev1", imap.Greeting);

        var capability = await imap.CommandAsync("CAPABILITY");
        Assert.True(capability.IsOk, capability.Completion);
        Assert.Contains(capability.Untagged, l => l.StartsWith("* CAPABILITY IMAP4rev1 ", StringComparison.Ordinal) && l.Contains("AUTH=PLAIN"));

        var login = await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        Assert.True(login.IsOk, login.Completion);

        var select = await imap.CommandAsync("SELECT INBOX");
        Assert.True(select.IsOk, select.Completion);
        Assert.Contains("* 1 EXISTS", select.Lines);
        Assert.Contains(select.Lines, l => l.StartsWith("* OK [UIDVALIDITY ", StringComparison.Ordinal));
        Assert.StartsWith("A3 OK [READ-WRITE]", select.Completion);

        var fetch = await imap.CommandAsync("UID FETCH 1 (FLAGS RFC822.SIZE BODY.PEEK[])");
        Assert.True(fetch.IsOk, fetch.Completion);
        var message = "Subject: smoke\r\nFrom: a@example.org\r\n\r\nhello smoke\r\n";
        Assert.Equal($"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE {message.Length} BODY[] {{{message.Length}}}\r\n{message})", fetch.Lines[0]);

        var logout = await imap.CommandAsync("LOGOUT");
        Assert.StartsWith("* BYE", logout.Lines[0]);
        Assert.True(logout.IsOk, logout.Completion);
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        await using var dovecot = await DovecotTestBed.StartAsync();
        await using var imap = await dovecot.ConnectAsync();
        var login = await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} wrong");
        Assert.StartsWith("A1 NO ", login.Completion);
    }
}
