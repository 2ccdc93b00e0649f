using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>Other writers (mutt, a delivery agent, mv) change the Maildir behind the store's back.</summary>
public sealed class ExternalChangeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Renames_moves_deletions_and_deliveries_are_seen_without_renumbering(bool watch)
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: watch);
        await store.CreateFolderAsync("Archive");
        var inbox = await store.OpenFolderAsync("INBOX");
        var archive = await store.OpenFolderAsync("Archive");
        var a = await inbox.AppendAsync(TempMirror.Message("a"));                       // new/, mutt will read it
        var b = await inbox.AppendAsync(TempMirror.Message("b"), MessageFlags.Seen);    // cur/, mutt flags it
        var c = await inbox.AppendAsync(TempMirror.Message("c"), MessageFlags.Seen);    // cur/, deleted by hand
        var d = await inbox.AppendAsync(TempMirror.Message("d"), MessageFlags.Seen);    // mv'd to Archive
        var before = await inbox.SelectAsync();
        string Cur(string folder = "") => Path.Combine(mirror.Root, folder, "cur");
        string[] curFiles = TempMirror.Files(Cur());
        string newFile = TempMirror.Files(Path.Combine(mirror.Root, "new")).Single();

        string FileWith(string subject) => curFiles.Single(f => File.ReadAllText(Path.Combine(Cur(), f)).Contains("Subject: " + subject));
        string bFile = FileWith("b"), cFile = FileWith("c"), dFile = FileWith("d");

        File.Move(Path.Combine(mirror.Root, "new", newFile), Path.Combine(Cur(), newFile + ":2,S"));          // mutt: new → cur, seen
        File.Move(Path.Combine(Cur(), bFile), Path.Combine(Cur(), bFile.Replace(":2,S", ":2,FS")));         // mutt: flag
        File.Delete(Path.Combine(Cur(), cFile));                                                               // rm
        File.Move(Path.Combine(Cur(), dFile), Path.Combine(Cur(".Archive"), dFile));                          // mv between folders
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "tmp", "1800000000.X1.mda"), "Subject: e\n\nnew mail\n");
        File.Move(Path.Combine(mirror.Root, "tmp", "1800000000.X1.mda"), Path.Combine(mirror.Root, "new", "1800000000.X1.mda"));

        var after = await inbox.SelectAsync();
        Assert.Equal([a.Uid, b.Uid, 5u], after.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Seen, after.Messages[0].Flags);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, after.Messages[1].Flags);
        Assert.True(after.Messages[0].ModSeq > before.Status.HighestModSeq);
        Assert.Equal(before.Messages[0].InternalDate, after.Messages[0].InternalDate);
        Assert.Equal([c.Uid, d.Uid], await inbox.GetExpungedSinceAsync(before.Status.HighestModSeq));
        var archived = Assert.Single((await archive.SelectAsync()).Messages);
        Assert.Equal(MessageFlags.Seen, archived.Flags);
        Assert.Equal(1u, archived.Uid);
        await using var read = await archive.OpenMessageAsync(archived.Uid);
        Assert.Contains("Subject: d", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task A_change_within_the_same_mtime_tick_as_the_last_scan_is_not_missed()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        string newDir = Path.Combine(mirror.Root, "new");
        // A whole-second mtime, as a coarse-timestamp file system (FAT, ext3) keeps them: the scan below falls in its tick.
        var now = DateTime.UtcNow;
        var mtime = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        Directory.SetLastWriteTimeUtc(newDir, mtime);
        await inbox.SelectAsync();

        // Deliver, then put the directory mtime back as a coarse-timestamp file system would leave it.
        await File.WriteAllTextAsync(Path.Combine(newDir, "1700000001.M1.same-tick"), "Subject: sneaky\n\n.\n");
        Directory.SetLastWriteTimeUtc(newDir, mtime);

        Assert.Single((await inbox.SelectAsync()).Messages);
    }

    [Fact]
    public async Task An_unchanged_folder_is_not_rescanned_once_settled()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.AppendAsync(TempMirror.Message("x"));
        string newDir = Path.Combine(mirror.Root, "new");
        // Age the directories so the last scan is well past their mtimes.
        var old = DateTime.UtcNow.AddMinutes(-10);
        Directory.SetLastWriteTimeUtc(newDir, old);
        Directory.SetLastWriteTimeUtc(Path.Combine(mirror.Root, "cur"), old);
        await inbox.SelectAsync();

        // A file slipped in without changing the mtime (and well after it): by design not looked for...
        await File.WriteAllTextAsync(Path.Combine(newDir, "1700000002.M1.hidden"), "Subject: hidden\n\n.\n");
        Directory.SetLastWriteTimeUtc(newDir, old);
        Assert.Single((await inbox.SelectAsync()).Messages);
        // ...until the directory's mtime moves, as any real change moves it.
        Directory.SetLastWriteTimeUtc(newDir, DateTime.UtcNow);
        Assert.Equal(2, (await inbox.SelectAsync()).Messages.Count);
    }

    [Fact]
    public async Task Mbsync_dropping_its_uid_field_on_rename_keeps_the_message()
    {
        await using var mirror = new TempMirror();
        string cur = Path.Combine(mirror.Root, "cur");
        Directory.CreateDirectory(cur);
        await File.WriteAllTextAsync(Path.Combine(cur, "1600000000.123_1.box,U=42:2,S"), "Subject: m\n\n.\n");
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        uint uid = Assert.Single((await inbox.SelectAsync()).Messages).Uid;

        File.Move(Path.Combine(cur, "1600000000.123_1.box,U=42:2,S"), Path.Combine(cur, "1600000000.123_1.box,U=7:2,RS"));
        var message = Assert.Single((await inbox.SelectAsync()).Messages);
        Assert.Equal(uid, message.Uid);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, message.Flags);
        Assert.Empty(await inbox.GetExpungedSinceAsync(0));
    }
}
