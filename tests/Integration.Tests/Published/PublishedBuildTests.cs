using System.Diagnostics;
using ImapProxy.Integration.Tests.Sync;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Published;

/// <summary>
/// The build users install (self-contained, trimmed, composite ReadyToRun) is the one the process tests run, and it
/// syncs and reports like the build the unit tests load: trimming must not have cut anything a command needs.
/// </summary>
public sealed class PublishedBuildTests
{
    [Fact]
    public async Task The_published_build_is_the_one_tested_and_it_syncs_and_reports_status()
    {
        var published = ImapProxyExecutable.Published;
        Assert.True(published is not null,
            $"{ImapProxyExecutable.PublishedVariable} is not set. scripts/test publishes the build users install and names its app host there; " +
            "outside scripts/test, run `dotnet publish src/ImapProxy -c Release -o DIR` and set it to DIR/imapproxy.");
        Assert.True(File.Exists(published), $"{published} does not exist");
        var directory = Path.GetDirectoryName(published)!;
        Assert.True(File.Exists(Path.Combine(directory, "libcoreclr.so")), "the published build is not self-contained");
        var shipped = Directory.GetFiles(directory, "*.dll").Length;
        var framework = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll").Length;
        Assert.True(shipped < framework, $"the published build carries {shipped} assemblies, the runtime alone has {framework}: not trimmed");

        await using var bed = await SyncBed.StartAsync();
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.AddAsync(side, "INBOX", "m1", "S");
            await SideOps.AddAsync(side, "INBOX", "m2");
            await SideOps.AddAsync(side, "Wörk/Projekte", "w1", "F");
            return true;
        });

        var sync = await RunAsync(bed, "sync");
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.Contains("acct: INBOX: copy 2 down, 0 up", sync.Output);
        await bed.AssertSidesEqualAsync();

        var status = await RunAsync(bed, "status");
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("nothing waiting to be pushed", status.Output);
        Assert.Contains("Wörk/Projekte", status.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(SyncBed bed, string command)
    {
        var start = ImapProxyExecutable.Start(command, "-c", bed.ConfigPath);
        start.Environment["HOME"] = bed.Directory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await errors);
    }
}
