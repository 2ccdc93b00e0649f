using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ImapProxy.Cli;
using ImapProxy.Integration.Tests.Sync;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Product;

/// <summary>What the user sees from <c>status</c> after a real sync, and from <c>sync</c> when the server is gone.</summary>
public sealed class CliAfterSyncTests
{
    [Fact]
    public async Task Status_after_a_sync_shows_each_folders_counts_and_then_the_local_changes_waiting()
    {
        await using var bed = await SyncBed.StartAsync();
        await bed.UpstreamAsync(async side =>
        {
            for (var i = 1; i <= 4; i++)
                await SideOps.AddAsync(side, "INBOX", $"m{i}", i == 1 ? "S" : "");
            await SideOps.AddAsync(side, "Archive", "a1");
            return true;
        });
        var before = await bed.RunAsync("status");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("never synced", before.Out);

        var sync = await bed.RunAsync("sync");
        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        var synced = await bed.RunAsync("status");
        Assert.True(synced.ExitCode == 0, synced.Out + synced.Error);
        Assert.Equal("", synced.Error);
        Assert.Contains($"account {SyncBed.Account}: ", synced.Out);
        Assert.DoesNotContain("never synced", synced.Out); // the sync state exists now
        Assert.True(Regex.IsMatch(synced.Out, @"\n\s+INBOX\s+4\s+4\s+-\s"), synced.Out);
        Assert.True(Regex.IsMatch(synced.Out, @"\n\s+Archive\s+1\s+1\s+-\s"), synced.Out);
        Assert.Contains("nothing waiting to be pushed", synced.Out);
        // The pass recorded itself in the run log, so status names when it happened.
        Assert.Matches(@"last sync: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", synced.Out);

        // A message added to the mirror (as a mail client would through serve) is counted as waiting.
        await bed.LocalAsync(async (side, _) =>
        {
            await SideOps.AddAsync(side, "INBOX", "local1");
            return true;
        });
        var pending = await bed.RunAsync("status");
        Assert.Equal(0, pending.ExitCode);
        Assert.True(Regex.IsMatch(pending.Out, @"\n\s+INBOX\s+5\s+4\s+1 new\s"), pending.Out);
        Assert.Contains("1 change waiting to be pushed upstream", pending.Out);
    }

    [Fact]
    public async Task Sync_to_a_host_that_does_not_answer_is_one_line_and_exit_code_69()
    {
        await using var bed = await SyncBed.StartAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = await File.ReadAllTextAsync(bed.ConfigPath);
        await File.WriteAllTextAsync(bed.ConfigPath, config.Replace($"port = {bed.Dovecot.Port}", $"port = {closedPort}"));

        var result = await bed.RunAsync("sync");
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"imapproxy: {SyncBed.Account}: upstream unreachable: ", line);
        Assert.Contains($"127.0.0.1:{closedPort}", line);
        Assert.False(Directory.Exists(Path.Combine(bed.MaildirPath, "cur")) && Directory.GetFiles(Path.Combine(bed.MaildirPath, "cur")).Length > 0);
    }
}
