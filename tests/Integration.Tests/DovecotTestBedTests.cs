using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests;

/// <summary>The test bed's options and helpers do what the other tests rely on.</summary>
public sealed class DovecotTestBedTests
{
    [Fact]
    public async Task Hidden_capabilities_are_not_advertised_before_or_after_login()
    {
        string[] hidden = ["CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LITERAL+", "IDLE"];
        await using var dovecot = await DovecotTestBed.StartAsync(new DovecotOptions { HiddenCapabilities = hidden });
        await using var imap = await dovecot.ConnectAsync();
        var login = await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        var capability = await imap.CommandAsync("CAPABILITY");
        var advertised = capability.Untagged.Single().Split(' ');
        Assert.Contains("IMAP4rev1", advertised);
        Assert.Contains("NAMESPACE", advertised);
        foreach (var name in hidden)
        {
            Assert.DoesNotContain(name, advertised);
            Assert.DoesNotContain(" " + name + " ", imap.Greeting + " ");
            Assert.DoesNotContain(" " + name + " ", login.Completion + " ");
        }
    }

    [Fact]
    public async Task Several_users_each_have_their_own_mail()
    {
        var options = new DovecotOptions { Users = [new("alice", "a-pass"), new("bob", "b-pass")] };
        await using var dovecot = await DovecotTestBed.StartAsync(options, async bed =>
        {
            await bed.Maildir("alice").AddAsync("INBOX", "Subject: for alice\n\nx\n"u8.ToArray());
            await bed.Maildir("bob").AddAsync("INBOX", "Subject: for bob 1\n\nx\n"u8.ToArray());
            await bed.Maildir("bob").AddAsync("INBOX", "Subject: for bob 2\n\nx\n"u8.ToArray());
        });
        Assert.Contains("messages=1", await dovecot.DoveadmAsync("mailbox", "status", "-u", "alice", "messages", "INBOX"));
        Assert.Contains("messages=2", await dovecot.DoveadmAsync("mailbox", "status", "-u", "bob", "messages", "INBOX"));
        await using var imap = await dovecot.ConnectAsync();
        Assert.True((await imap.CommandAsync("LOGIN bob b-pass")).IsOk);
    }

    [Fact]
    public async Task Seeded_corpus_folders_keep_order_and_bytes()
    {
        var files = Corpus.Files.Take(40).ToArray();
        await using var dovecot = await DovecotTestBed.StartAsync(seed: async bed =>
        {
            Assert.Equal(40, await bed.Maildir().AddFilesAsync("Lists.spam", files));
        });
        // Seeding while Dovecot runs works too: it picks the files up at the next sync.
        await dovecot.Maildir().AddAsync("INBOX", "Subject: late\n\nlate\n"u8.ToArray(), flags: "FS");

        var list = await dovecot.DoveadmAsync("mailbox", "list", "-u", dovecot.DefaultUser.Name);
        Assert.Contains("Lists.spam", list);
        await using var imap = await dovecot.ConnectAsync();
        await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        var inbox = await imap.CommandAsync("EXAMINE INBOX");
        Assert.Contains("* 1 EXISTS", inbox.Lines);
        Assert.Contains("* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent))", (await imap.CommandAsync("FETCH 1 FLAGS")).Lines);

        var select = await imap.CommandAsync("EXAMINE Lists.spam");
        Assert.Contains("* 40 EXISTS", select.Lines);
        foreach (var uid in new[] { 1, 17, 40 })
        {
            var fetch = await imap.CommandAsync($"UID FETCH {uid} BODY.PEEK[]");
            var expected = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(files[uid - 1]));
            // Dovecot serves LF-only Maildir files with CRLF line ends.
            var crlf = expected.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
            Assert.EndsWith("}\r\n" + crlf + ")", fetch.Lines[0]);
        }
    }

    [Fact]
    public async Task Parallel_test_beds_get_their_own_ports_and_are_removed_on_dispose()
    {
        var beds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DovecotTestBed.StartAsync()));
        try
        {
            Assert.Equal(4, beds.Select(b => b.Port).Distinct().Count());
            foreach (var bed in beds)
            {
                await using var imap = await bed.ConnectAsync();
                Assert.True((await imap.CommandAsync($"LOGIN {bed.DefaultUser.Name} {bed.DefaultUser.Password}")).IsOk);
            }
        }
        finally
        {
            foreach (var bed in beds)
            {
                await bed.DisposeAsync();
            }
        }
        foreach (var bed in beds)
        {
            Assert.False(Directory.Exists(bed.Directory));
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => bed.ConnectAsync());
        }
    }

    [Fact]
    public async Task Slash_separator_maps_to_maildir_plus_plus_dirs()
    {
        await using var dovecot = await DovecotTestBed.StartAsync(new DovecotOptions { Separator = '/' }, bed =>
            bed.Maildir().AddAsync("Work/Projects", "Subject: nested\n\nx\n"u8.ToArray()));
        Assert.True(Directory.Exists(Path.Combine(dovecot.Maildir().Root, ".Work.Projects", "cur")));
        await using var imap = await dovecot.ConnectAsync();
        await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}");
        var status = await imap.CommandAsync("STATUS Work/Projects (MESSAGES)");
        Assert.Contains("* STATUS Work/Projects (MESSAGES 1)", status.Lines);
    }
}
