using ImapProxy.Cli;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary><c>imapproxy sync</c> end to end against a real Dovecot and a real Maildir mirror, through the CLI entry point.</summary>
public sealed class SyncCommandTests
{
    private static async Task SeedUpstreamAsync(SyncBed bed, int inbox = 3)
    {
        await bed.UpstreamAsync(async side =>
        {
            for (var i = 1; i <= inbox; i++)
            {
                await SideOps.AddAsync(side, "INBOX", $"m{i}", i == 1 ? "S" : "");
            }
            await SideOps.AddAsync(side, "Wörk/Projekte", "w1", "F");
            return true;
        });
    }

    [Fact]
    public async Task First_sync_downloads_everything_and_a_second_is_a_no_op()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedUpstreamAsync(bed);

        var first = await bed.RunAsync("sync");
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Equal("", first.Error);
        Assert.Contains("acct: INBOX: copy 3 down, 0 up", first.Out);
        Assert.Contains("acct: Wörk/Projekte: copy 1 down, 0 up", first.Out);
        await bed.AssertSidesEqualAsync();
        Assert.Equal(["S"], await bed.LocalAsync((side, _) => SideOps.CopiesAsync(side, "INBOX", "m1")));

        var second = await bed.RunAsync("sync");
        Assert.Equal(0, second.ExitCode);
        Assert.Matches(@"acct: done in [0-9.]+ s: \d+ folders \(\d+ unchanged\), 0 downloaded, 0 uploaded", second.Out);
        Assert.Single(second.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // nothing but the total

        var quiet = await bed.RunAsync("sync", "-q");
        Assert.Equal((0, "", ""), (quiet.ExitCode, quiet.Out, quiet.Error));
    }

    [Fact]
    public async Task Dry_run_reports_the_changes_of_both_sides_and_changes_nothing()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedUpstreamAsync(bed);
        Assert.Equal(0, (await bed.RunAsync("sync")).ExitCode);
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.AddAsync(side, "INBOX", "u1");
            await SideOps.SetFlagsAsync(side, "INBOX", "m2", "F");
            return true;
        });
        await bed.LocalAsync(async (side, _) =>
        {
            await SideOps.AddAsync(side, "INBOX", "l1", "S");
            await SideOps.ExpungeAsync(side, "INBOX", "m3");
            await SideOps.AddAsync(side, "Local", "l2");
            return true;
        });
        var upstreamBefore = SideOps.Describe(await bed.UpstreamSnapshotAsync());
        var localBefore = SideOps.Describe(await bed.LocalSnapshotAsync());

        var dry = await bed.RunAsync("sync", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.Out + dry.Error);
        Assert.Contains("acct: INBOX: would copy 1 down, 1 up; flags 1 local, 0 upstream; expunge 0 local, 1 upstream", dry.Out);
        Assert.Contains("dry run, nothing changed", dry.Out);
        Assert.Equal(upstreamBefore, SideOps.Describe(await bed.UpstreamSnapshotAsync()));
        Assert.Equal(localBefore, SideOps.Describe(await bed.LocalSnapshotAsync()));

        var real = await bed.RunAsync("sync");
        Assert.True(real.ExitCode == 0, real.Out + real.Error);
        await bed.AssertSidesEqualAsync();
        Assert.Empty(await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "m3")));
        Assert.Single(await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "Local", "l2")));
    }

    [Fact]
    public async Task The_deletion_guard_stops_with_its_own_exit_code_until_allow_mass_delete()
    {
        await using var bed = await SyncBed.StartAsync();
        await SeedUpstreamAsync(bed, inbox: 30);
        Assert.Equal(0, (await bed.RunAsync("sync")).ExitCode);
        await bed.LocalAsync(async (side, _) =>
        {
            for (var i = 1; i <= 25; i++)
            {
                await SideOps.ExpungeAsync(side, "INBOX", $"m{i}");
            }
            return true;
        });

        var stopped = await bed.RunAsync("sync");

        Assert.Equal(ExitCodes.DeletionGuard, stopped.ExitCode);
        var line = Assert.Single(stopped.ErrorLines);
        Assert.StartsWith("imapproxy: acct: the deletion guard stopped 1 folder (INBOX: this sync would delete 25 of 30 messages on upstream", line);
        Assert.EndsWith("If the deletions are intended, run: imapproxy sync -a acct --allow-mass-delete", line);
        Assert.Equal(30, (await bed.UpstreamAsync(side => side.ListMessagesAsync("INBOX", 0, default))).Messages.Count);
        Assert.Equal(ExitCodes.DeletionGuard, (await bed.RunAsync("sync")).ExitCode); // stays stopped

        var allowed = await bed.RunAsync("sync", "--allow-mass-delete");
        Assert.True(allowed.ExitCode == 0, allowed.Out + allowed.Error);
        Assert.Equal(5, (await bed.UpstreamAsync(side => side.ListMessagesAsync("INBOX", 0, default))).Messages.Count);
        await bed.AssertSidesEqualAsync();
        Assert.Equal(0, (await bed.RunAsync("sync")).ExitCode);
    }

    [Fact]
    public async Task A_refused_login_exits_77_with_one_line()
    {
        await using var bed = await SyncBed.StartAsync(password: "wrong");
        var result = await bed.RunAsync("sync");
        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("imapproxy: acct: upstream login refused: ", line);
        Assert.False(Directory.Exists(bed.MaildirPath), "nothing is created locally before the login worked");
    }

    [Fact]
    public async Task Folder_option_and_exclude_limit_the_sync()
    {
        await using var bed = await SyncBed.StartAsync(extraAccountLines: "exclude = Junk");
        await SeedUpstreamAsync(bed);
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.AddAsync(side, "Junk", "spam1");
            return true;
        });

        var onlyWork = await bed.RunAsync("sync", "-f", "Wörk/*");
        Assert.True(onlyWork.ExitCode == 0, onlyWork.Out + onlyWork.Error);
        var local = await bed.LocalSnapshotAsync();
        Assert.Single(local["Wörk/Projekte"]);
        Assert.False(local.ContainsKey("INBOX") && local["INBOX"].Count > 0);

        Assert.Equal(0, (await bed.RunAsync("sync")).ExitCode);
        local = await bed.LocalSnapshotAsync();
        Assert.Equal(3, local["INBOX"].Count);
        Assert.False(local.ContainsKey("Junk"));
    }
}
