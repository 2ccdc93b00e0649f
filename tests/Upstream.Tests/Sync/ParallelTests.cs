using System.Collections.Concurrent;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Several folders at once, with progress events for the CLI's bars.</summary>
public sealed class ParallelTests
{
    private sealed class Collector : IProgress<SyncEvent>
    {
        public ConcurrentQueue<SyncEvent> Events { get; } = new();

        public void Report(SyncEvent value) => Events.Enqueue(value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManyFoldersInParallelReportProgressAndConverge(bool swapped)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        for (var f = 0; f < 8; f++)
        {
            for (var i = 0; i < 5; i++)
            {
                await SideOps.AddAsync(f % 2 == 0 ? h.Upstream : h.Local, $"F{f}", $"f{f}m{i}", i % 2 == 0 ? "S" : "");
            }
        }
        var progress = new Collector();

        var report = await h.SyncToConvergenceAsync(new SyncOptions { MaxParallelFolders = 4, Progress = progress });

        Assert.Equal(8, report.Folders.Count);
        Assert.Equal(40, report.Folders.Sum(f => f.Copied[0] + f.Copied[1]));
        var copied = progress.Events.OfType<MessageCopied>().ToList();
        Assert.Equal(40, copied.Count);
        Assert.All(copied.GroupBy(c => c.Folder), g => Assert.Equal(Enumerable.Range(1, 5), g.Select(c => c.Done).Order()));
        Assert.Equal(8, progress.Events.OfType<FolderStarted>().Count());
        Assert.Equal(8, progress.Events.OfType<FolderFinished>().Count());
        Assert.Equal(report.Folders.Sum(f => f.Bytes), copied.Sum(c => c.Bytes));
        await h.AssertSidesEqualAsync();
    }
}
