using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Live rules beyond the message table, against a real Dovecot and a real Maildir mirror: moves, folder creation
/// and deletion on each side, and an upstream UIDVALIDITY change.
/// </summary>
public sealed class LiveScenarioTests
{
    private static async Task SeedAsync(SyncBed bed)
    {
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.AddAsync(side, "INBOX", "m1", "S");
            await SideOps.AddAsync(side, "INBOX", "m2", "F");
            await SideOps.AddAsync(side, "INBOX", "m3");
            await SideOps.AddAsync(side, "Archive", "a1", "S");
            return true;
        });
        await bed.SyncToConvergenceAsync();
    }

    [Fact]
    public async Task A_local_move_becomes_an_upstream_uid_move_without_upload()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedAsync(bed);
        var upstreamUid = await bed.UpstreamAsync(side => SideOps.UidOfAsync(side, "INBOX", "m2"));
        await bed.LocalAsync(async (side, _) =>
        {
            await SideOps.MoveAsync(side, "INBOX", "m2", "Archive");
            return true;
        });

        var sent = new List<string>();
        var report = await bed.SyncToConvergenceAsync(sent);

        var move = Assert.Single(report.Moves);
        Assert.Equal(("INBOX", "Archive"), (move.From, move.To));
        Assert.Contains(sent, l => l.EndsWith($"UID MOVE {upstreamUid} Archive", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, l => l.Contains("APPEND", StringComparison.Ordinal));
        Assert.Equal(["F"], await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "Archive", "m2")));
        Assert.Empty(await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "m2")));
        await bed.AssertSidesEqualAsync();
    }

    [Fact]
    public async Task Without_move_a_local_move_is_copied_and_expunged_and_nothing_is_duplicated()
    {
        await using var bed = await SyncBed.StartAsync(["MOVE", "UIDPLUS"]);
        await SeedAsync(bed);
        await bed.LocalAsync(async (side, _) =>
        {
            await SideOps.MoveAsync(side, "INBOX", "m2", "Archive");
            return true;
        });

        var sent = new List<string>();
        await bed.SyncToConvergenceAsync(sent);

        Assert.DoesNotContain(sent, l => l.Contains("UID MOVE", StringComparison.Ordinal) || l.Contains("UID EXPUNGE", StringComparison.Ordinal));
        Assert.Equal(["F"], await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "Archive", "m2")));
        Assert.Empty(await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "m2")));
        await bed.AssertSidesEqualAsync();
    }

    [Fact]
    public async Task Folders_created_and_deleted_on_either_side_follow_on_the_other()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedAsync(bed);
        await bed.UpstreamAsync(async side =>
        {
            await side.CreateFolderAsync("Empty/Up", default);
            await side.CreateFolderAsync("Gone/Up", default);
            return true;
        });
        await bed.LocalAsync(async (side, _) =>
        {
            await side.CreateFolderAsync("Empty/Local", default);
            await side.CreateFolderAsync("Gone/Local", default);
            return true;
        });
        await bed.SyncToConvergenceAsync();
        var names = await bed.UpstreamAsync(async side => (await side.ListFoldersAsync(default)).Select(f => f.Name).ToList());
        Assert.Contains("Empty/Local", names);
        Assert.Contains("Gone/Local", names);

        // Empty and unchanged: a deletion on one side is carried over. Not empty: kept, and the run says so.
        await bed.UpstreamAsync(async side =>
        {
            await side.DeleteFolderAsync("Gone/Local", default);
            await side.DeleteFolderAsync("Archive", default);
            return true;
        });
        await bed.LocalAsync(async (side, _) =>
        {
            await side.DeleteFolderAsync("Gone/Up", default);
            return true;
        });
        var report = await bed.SyncOnceAsync();

        var local = await bed.LocalAsync(async (side, _) => (await side.ListFoldersAsync(default)).Select(f => f.Name).ToList());
        var upstream = await bed.UpstreamAsync(async side => (await side.ListFoldersAsync(default)).Select(f => f.Name).ToList());
        Assert.DoesNotContain("Gone/Local", local);
        Assert.DoesNotContain("Gone/Up", upstream);
        Assert.Contains("Empty/Up", local);
        Assert.Contains("Archive", local); // still holds a1 locally: never deleted without confirmation
        Assert.Single(await bed.LocalAsync((side, _) => SideOps.CopiesAsync(side, "Archive", "a1")));
        Assert.Contains(report.Folders, f => f.Folder == "Archive" && f.Stopped is not null);
    }

    [Fact]
    public async Task An_upstream_uidvalidity_change_is_rematched_without_duplicates()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedAsync(bed);
        var before = await bed.UpstreamAsync(async side => (await side.ListFoldersAsync(default)).Single(f => f.Name == "INBOX").UidValidity);
        await bed.Dovecot.DoveadmAsync("mailbox", "update", "-u", bed.Dovecot.DefaultUser.Name, "--uid-validity", (before + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "INBOX");
        var after = await bed.UpstreamAsync(async side => (await side.ListFoldersAsync(default)).Single(f => f.Name == "INBOX").UidValidity);
        Assert.NotEqual(before, after);
        await bed.LocalAsync(async (side, _) =>
        {
            await SideOps.SetFlagsAsync(side, "INBOX", "m3", "A");
            return true;
        });

        var report = await bed.SyncToConvergenceAsync();

        Assert.Equal(0, report.Folders.Sum(f => f.Copied[0] + f.Copied[1]));
        Assert.Equal(["S"], await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "m1")));
        Assert.Equal(["A"], await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "m3")));
        Assert.Equal(["A"], await bed.LocalAsync((side, _) => SideOps.CopiesAsync(side, "INBOX", "m3")));
        await bed.AssertSidesEqualAsync();
    }
}
