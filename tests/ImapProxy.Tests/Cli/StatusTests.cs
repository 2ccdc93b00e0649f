using System.Text;
using ImapProxy.Cli;
using ImapProxy.Status;
using ImapProxy.Store;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Tests.Cli;

/// <summary><c>imapproxy status</c> over a real Maildir mirror and a real sync state, without any upstream.</summary>
public sealed class StatusTests
{
    private static readonly DateTimeOffset SyncedAt = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private static CommandServices Services(DateTimeOffset now) =>
        CommandServices.Default with { Status = new StatusRunner(new FixedTime(now)) };

    private static MemoryStream Message(int n) =>
        new(Encoding.ASCII.GetBytes($"From: a@example.org\r\nMessage-ID: <m{n}@example.org>\r\nSubject: {n}\r\n\r\nbody {n}\r\n"));

    [Fact]
    public async Task Shows_counts_pending_changes_last_sync_and_errors_per_folder()
    {
        using var config = CliHarness.ValidConfig();
        var mirror = Path.Combine(config.Directory, "mail", "personal");
        await using (var store = await AccountStore.OpenAsync(mirror, new MailStoreOptions { WatchFileSystem = false }))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            await inbox.AppendAsync(Message(1), MessageFlags.Seen);
            await inbox.AppendAsync(Message(2));
            await inbox.AppendAsync(Message(3)); // never synced: to be appended upstream
            await inbox.AppendAsync(Message(4));
            await store.CreateFolderAsync("Archive");
            await (await store.OpenFolderAsync("Archive")).AppendAsync(Message(5));
            await store.CreateFolderAsync("Drafts");
            await (await store.OpenFolderAsync("Drafts")).AppendAsync(Message(6), MessageFlags.Draft);

            await using var state = await SyncStateStore.OpenAsync(ImapProxy.Sync.AccountSynchronizer.StatePathFor(Path.Combine(config.Directory, "state"), "personal"));
            await state.WriteAsync(tx =>
            {
                var inboxId = tx.AddFolder("INBOX");
                tx.SetSideState(inboxId, 0, new SideState(7, 10, 0, 4));
                tx.SetSideState(inboxId, 1, new SideState(1, 5, 9, 3));
                tx.PutMapping(inboxId, new MappedMessage(1, 1, FlagSet.Of(@"\Seen"), "<m1@example.org>", 80, SyncedAt, null, null));
                tx.PutMapping(inboxId, new MappedMessage(2, 2, FlagSet.Empty, "<m2@example.org>", 80, SyncedAt, null, null));
                tx.PutMapping(inboxId, new MappedMessage(5, 4, FlagSet.Empty, "<m4@example.org>", 80, SyncedAt, null, null));
                tx.RecordRun("INBOX", SyncedAt, null);
                var archiveId = tx.AddFolder("Archive");
                tx.SetSideState(archiveId, 0, new SideState(8, 41, 0, 40));
                tx.PutMapping(archiveId, new MappedMessage(1, 1, FlagSet.Empty, "<m5@example.org>", 80, SyncedAt, null, null));
                tx.SetStopped(archiveId, "would delete 39 of 40 messages upstream");
                tx.AddIntent(archiveId, new JournalIntent { Op = "expunge", Side = 0, Uids = [2] });
                tx.RecordRun("Archive", SyncedAt.AddMinutes(-1), "IOException: connection reset by peer");
                tx.RecordRun(RunLogEntry.AccountKey, SyncedAt, null);
            });
            // Local changes since the sync: a flag set on a mapped message, a mapped message expunged.
            await inbox.StoreFlagsAsync([2], FlagChangeMode.Add, MessageFlags.Flagged, null, null);
            await inbox.StoreFlagsAsync([4], FlagChangeMode.Add, MessageFlags.Deleted, null, null);
            await inbox.ExpungeAsync([4]);
        }

        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, Services(SyncedAt.AddMinutes(3)));

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            account personal: me@example.org at imap.example.org:993
              last sync: 2026-11-21 20:00:00 (3 min ago)
              FOLDER   LOCAL  UPSTREAM  TO PUSH                    LAST SYNC                        NOTE
              INBOX        3         4  1 new, 1 flags, 1 deleted  2026-11-21 20:00:00 (3 min ago)
              Archive      1        40  1 journal                  never                            stopped: would delete 39 of 40 messages upstream
              Drafts       1         -  1 new                      never                            not synced yet
              5 changes waiting to be pushed upstream

            """.Replace("\r\n", "\n"), result.Out.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Counts_changes_made_in_the_Maildir_while_nothing_watched_it()
    {
        using var config = CliHarness.ValidConfig();
        var mirror = Path.Combine(config.Directory, "mail", "personal");
        await using (var store = await AccountStore.OpenAsync(mirror, new MailStoreOptions { WatchFileSystem = false }))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            for (int n = 1; n <= 4; n++) await inbox.AppendAsync(Message(n));
            await using var state = await SyncStateStore.OpenAsync(ImapProxy.Sync.AccountSynchronizer.StatePathFor(Path.Combine(config.Directory, "state"), "personal"));
            await state.WriteAsync(tx =>
            {
                var inboxId = tx.AddFolder("INBOX");
                tx.SetSideState(inboxId, 0, new SideState(7, 5, 0, 4));
                for (uint uid = 1; uid <= 4; uid++)
                {
                    tx.PutMapping(inboxId, new MappedMessage(uid, uid, FlagSet.Empty, $"<m{uid}@example.org>", 80, SyncedAt, null, null));
                }
                tx.RecordRun("INBOX", SyncedAt, null);
                tx.RecordRun(RunLogEntry.AccountKey, SyncedAt, null);
            });
        }
        // What mutt and a delivery agent do with no serve running: read one message (new/ → cur/ with S), flag
        // another, delete a third, deliver a new one into new/, and a new folder made by hand with one message.
        var files = Directory.GetFiles(Path.Combine(mirror, "new")).Concat(Directory.GetFiles(Path.Combine(mirror, "cur")))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, files.Length);
        static string BaseOf(string file) => Path.GetFileName(file).Split(":2,")[0];
        File.Move(files[0], Path.Combine(mirror, "cur", BaseOf(files[0]) + ":2,S"));
        File.Move(files[1], Path.Combine(mirror, "cur", BaseOf(files[1]) + ":2,F"));
        File.Delete(files[2]);
        await File.WriteAllTextAsync(Path.Combine(mirror, "new", "1790000000.P1Q1.elsewhere"), "Subject: delivered\r\n\r\nhi\r\n");
        foreach (var sub in (string[])["cur", "new", "tmp"]) Directory.CreateDirectory(Path.Combine(mirror, ".Dropped", sub));
        await File.WriteAllTextAsync(Path.Combine(mirror, ".Dropped", "cur", "1790000001.P1Q2.elsewhere:2,S"), "Subject: x\r\n\r\nx\r\n");

        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, Services(SyncedAt.AddMinutes(3)));

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Replace("\r\n", "\n").Split('\n');
        Assert.Matches(@"^  INBOX +4 +4 +1 new, 2 flags, 1 deleted +2026", Assert.Single(lines, l => l.StartsWith("  INBOX")));
        Assert.Matches(@"^  Dropped +1 +- +1 new +never", Assert.Single(lines, l => l.StartsWith("  Dropped")));
        Assert.Contains("  5 changes waiting to be pushed upstream", lines);
        // status only reads: the three files left and the delivered one are where they were put.
        Assert.Equal(files[3], Assert.Single(Directory.GetFiles(Path.GetDirectoryName(files[3])!), f => f == files[3]));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(mirror, "new")).Length + Directory.GetFiles(Path.Combine(mirror, "cur")).Length);
    }

    [Fact]
    public async Task An_account_never_synced_and_never_opened_says_so()
    {
        using var config = CliHarness.ValidConfig();
        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, Services(SyncedAt));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            account personal: me@example.org at imap.example.org:993
              never synced (no sync state yet)
              mirror not opened yet (no index)
              FOLDER  LOCAL  UPSTREAM  TO PUSH  LAST SYNC  NOTE
              nothing waiting to be pushed

            """, result.Out);
        Assert.False(Directory.Exists(Path.Combine(config.Directory, "state")), "status must not create the state directory");
    }

    [Fact]
    public async Task An_unreadable_state_file_is_a_one_line_error()
    {
        using var config = CliHarness.ValidConfig();
        Directory.CreateDirectory(Path.GetDirectoryName(ImapProxy.Sync.AccountSynchronizer.StatePathFor(Path.Combine(config.Directory, "state"), "personal"))!);
        await File.WriteAllTextAsync(ImapProxy.Sync.AccountSynchronizer.StatePathFor(Path.Combine(config.Directory, "state"), "personal"), "this is not a database, just text");
        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, Services(SyncedAt));
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("imapproxy: account personal: cannot read its state: ", line);
    }
}
