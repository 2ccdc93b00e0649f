using System.Text;
using ImapProxy.Protocol;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests;

/// <summary>The same smoke test as <see cref="DovecotSmokeTests"/>, spoken through the wire library.</summary>
public sealed class DovecotWireSmokeTests
{
    [Fact]
    public async Task Capability_login_select_fetch_logout_through_the_wire_library()
    {
        var message = "Subject: wire smoke\r\nFrom: a@example.org\r\n\r\nhello through the wire library\r\n"u8.ToArray();
        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => bed.Maildir().AddAsync("INBOX", message, flags: "S"));
        await using var imap = await ImapTestClient.ConnectAsync(dovecot.Host, dovecot.Port);
        Assert.Equal(ImapStatus.Ok, imap.Greeting.Status);
        Assert.Equal(ResponseCodeKind.Capability, imap.Greeting.Code?.Kind);

        var capability = await imap.RunAsync("CAPABILITY");
        Assert.True(capability.IsOk);
        Assert.True(Untagged.TryGetAtoms(capability.Named("CAPABILITY").Single(), out var atoms));
        Assert.Contains("IMAP4rev1", atoms);
        Assert.Contains("AUTH=PLAIN", atoms);

        var login = await imap.RunAsync("LOGIN", w => w.Space().Astring(dovecot.DefaultUser.Name).Space().Astring(dovecot.DefaultUser.Password));
        Assert.True(login.IsOk, login.Completion.Text);

        var select = await imap.RunAsync("SELECT", w => w.Space().Mailbox("INBOX"));
        Assert.True(select.IsOk, select.Completion.Text);
        Assert.Equal(ResponseCodeKind.ReadWrite, select.Completion.Code?.Kind);
        Assert.Equal(1u, select.Named("EXISTS").Single().Number);
        Assert.Contains(select.Untagged, r => r.Code?.Kind == ResponseCodeKind.UidValidity && r.Code.Number > 0);

        var fetch = await imap.RunAsync("UID FETCH", w => w.Space().Raw("1 (FLAGS RFC822.SIZE BODY.PEEK[])"));
        Assert.True(fetch.IsOk, fetch.Completion.Text);
        Assert.True(FetchItems.TryParse(fetch.Named("FETCH").Single(), out var items, out var error), error);
        Assert.Equal(1u, items!.Uid);
        Assert.Contains("\\Seen", items.Flags!);
        Assert.Equal((ulong)message.Length, items.Size);
        Assert.Equal(Encoding.ASCII.GetString(message), Encoding.ASCII.GetString(items.Bodies.Single().Data!.Value.Span));

        var logout = await imap.RunAsync("LOGOUT");
        Assert.Equal(ImapStatus.Bye, logout.Untagged.Single().Status);
        Assert.True(logout.IsOk);
    }

    [Fact]
    public async Task Append_with_a_synchronizing_literal_round_trips()
    {
        await using var dovecot = await DovecotTestBed.StartAsync(new DovecotOptions { HiddenCapabilities = ["LITERAL+"] });
        await using var imap = await ImapTestClient.ConnectAsync(dovecot.Host, dovecot.Port);
        await imap.RunAsync("LOGIN", w => w.Space().Astring(dovecot.DefaultUser.Name).Space().Astring(dovecot.DefaultUser.Password));
        var message = SyntheticMail.Create(42);
        var append = await imap.RunAsync("APPEND", w => w.Space().Mailbox("INBOX").Space().Literal(message));
        Assert.True(append.IsOk, append.Completion.Text);
        Assert.Equal(ResponseCodeKind.AppendUid, append.Completion.Code?.Kind);

        await imap.RunAsync("EXAMINE", w => w.Space().Mailbox("INBOX"));
        var fetch = await imap.RunAsync("FETCH", w => w.Space().Raw("1 BODY.PEEK[]"));
        Assert.True(FetchItems.TryParse(fetch.Named("FETCH").Single(), out var items, out var error), error);
        Assert.Equal(message, items!.Bodies.Single().Data!.Value.ToArray());
    }
}
