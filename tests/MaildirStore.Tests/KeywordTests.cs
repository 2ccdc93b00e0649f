using ImapProxy.Store;
using ImapProxy.TestSupport;

namespace ImapProxy.Store.Tests;

/// <summary>
/// Keywords are kept as Dovecot keeps them in a Maildir (letters a–z in the file name, <c>dovecot-keywords</c> saying
/// which keyword each letter is), so they survive an index rebuild and Dovecot and this store agree on them.
/// </summary>
public sealed class KeywordTests
{
    [Fact]
    public async Task Keywords_come_back_after_the_index_is_deleted()
    {
        await using var mirror = new TempMirror();
        uint validity;
        await using (var store = await mirror.OpenAsync())
        {
            await store.CreateFolderAsync("Work");
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(TempMirror.Message("a"), MessageFlags.None, ["$Label1"]);
            await inbox.AppendAsync(TempMirror.Message("b"), MessageFlags.Seen);
            await inbox.AppendAsync(TempMirror.Message("c"), MessageFlags.Seen, ["$Junk", "Project"]);
            await inbox.StoreFlagsAsync([2], FlagChangeMode.Add, MessageFlags.None, ["project"]);
            await inbox.StoreFlagsAsync([3], FlagChangeMode.Remove, MessageFlags.None, ["$Junk"]);
            await inbox.CopyToAsync([1, 3], await store.OpenFolderAsync("Work"));
            validity = inbox.UidValidity;
        }
        Assert.Equal("0 $Label1\n1 $Junk\n2 Project\n", await File.ReadAllTextAsync(Path.Combine(mirror.Root, "dovecot-keywords")));
        foreach (var f in Directory.GetFiles(mirror.Root, ".imapproxy-index.sqlite*")) File.Delete(f);

        await using (var store = await mirror.OpenAsync())
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            var snapshot = await inbox.SelectAsync();
            Assert.True(snapshot.Status.UidValidity > validity);
            Assert.Equal([["$Label1"], ["Project"], ["Project"]], snapshot.Messages.Select(m => m.Keywords.ToArray()));
            Assert.Equal(MessageFlags.Seen, snapshot.Messages[1].Flags);
            var work = await (await store.OpenFolderAsync("Work")).SelectAsync();
            Assert.Equal([["$Label1"], ["Project"]], work.Messages.Select(m => m.Keywords.ToArray()));
        }
    }

    [Fact]
    public async Task Letters_follow_dovecot_keywords_written_by_another_program()
    {
        await using var mirror = new TempMirror();
        string cur = Path.Combine(mirror.Root, "cur");
        Directory.CreateDirectory(cur);
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "dovecot-keywords"), "0 NonJunk\n2 $Forwarded\n");
        await File.WriteAllTextAsync(Path.Combine(cur, "1600000000.M1.other:2,Sac"), "Subject: x\n\n.\n");
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var message = Assert.Single((await inbox.SelectAsync()).Messages);
        Assert.Equal(["NonJunk", "$Forwarded"], message.Keywords);

        // Our new keyword takes the first free letter (b); the letters already there keep their meaning.
        await inbox.StoreFlagsAsync([message.Uid], FlagChangeMode.Add, MessageFlags.None, ["$Label2"]);
        Assert.Equal(["1600000000.M1.other:2,Sabc"], TempMirror.Files(cur));
        Assert.Equal("0 NonJunk\n1 $Label2\n2 $Forwarded\n", await File.ReadAllTextAsync(Path.Combine(mirror.Root, "dovecot-keywords")));

        // Another writer drops a letter: that keyword goes, the others stay.
        File.Move(Path.Combine(cur, "1600000000.M1.other:2,Sabc"), Path.Combine(cur, "1600000000.M1.other:2,Sbc"));
        Directory.SetLastWriteTimeUtc(cur, DateTime.UtcNow.AddSeconds(5));
        var after = Assert.Single((await inbox.SelectAsync()).Messages);
        Assert.Equal(["$Forwarded", "$Label2"], after.Keywords.Order(StringComparer.Ordinal));
        Assert.True(after.ModSeq > message.ModSeq);
    }

    [Fact]
    public async Task Keywords_beyond_the_26_letters_stay_in_the_index()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        var many = Enumerable.Range(0, 28).Select(i => $"kw{i}").ToArray();
        var appended = await inbox.AppendAsync(TempMirror.Message("m"), MessageFlags.Seen, many);
        string file = Assert.Single(TempMirror.Files(Path.Combine(mirror.Root, "cur")));
        Assert.EndsWith(":2,Sabcdefghijklmnopqrstuvwxyz", file);
        Assert.Equal(many, (await inbox.SelectAsync()).Messages.Single(m => m.Uid == appended.Uid).Keywords);
    }

    [Fact]
    public async Task Dovecot_reads_our_keywords_and_we_read_its_own()
    {
        string indexDir = Path.Combine(Path.GetTempPath(), "imapproxy-kw-index-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(indexDir);
        try
        {
            var options = new MailStoreOptions { IndexPath = Path.Combine(indexDir, "index.sqlite"), WatchFileSystem = false, HostName = "test.host" };
            await using var dovecot = await DovecotTestBed.StartAsync(seed: async bed =>
            {
                var seeder = bed.Maildir();
                seeder.EnsureFolder("INBOX");
                await using (var store = await AccountStore.OpenAsync(seeder.Root, options))
                {
                    var inbox = await store.OpenFolderAsync("INBOX");
                    await inbox.AppendAsync(TempMirror.Message("one"), MessageFlags.Seen, ["$Label1", "Work"]);
                    await inbox.AppendAsync(TempMirror.Message("two"), MessageFlags.None, ["Work"]);
                }
                var chown = await ProcessRunner.RunAsync("chown", ["-R", "vmail:vmail", seeder.Root]);
                Assert.True(chown.ExitCode == 0, chown.StandardError);
            });
            await using var imap = await dovecot.ConnectAsync();
            Assert.True((await imap.CommandAsync($"LOGIN {dovecot.DefaultUser.Name} {dovecot.DefaultUser.Password}")).IsOk);
            Assert.True((await imap.CommandAsync("SELECT INBOX")).IsOk);
            var fetch = await imap.CommandAsync("FETCH 1:* (FLAGS)");
            Assert.Contains(fetch.Lines, l => l.Contains("FLAGS (", StringComparison.Ordinal) && l.Contains("$Label1") && l.Contains("Work") && l.Contains("\\Seen"));
            Assert.Equal(2, fetch.Lines.Count(l => l.Contains("Work", StringComparison.Ordinal)));
            Assert.True((await imap.CommandAsync("STORE 2 +FLAGS (FromDovecot)")).IsOk);
            Assert.True((await imap.CommandAsync("LOGOUT")).IsOk);

            await using var reopened = await AccountStore.OpenAsync(dovecot.Maildir().Root, options);
            var messages = (await (await reopened.OpenFolderAsync("INBOX")).SelectAsync()).Messages;
            Assert.Equal(["FromDovecot", "Work"], messages[1].Keywords.Order(StringComparer.Ordinal));
            Assert.Equal(["$Label1", "Work"], messages[0].Keywords.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(indexDir, recursive: true);
        }
    }
}
