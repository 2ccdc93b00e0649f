using System.Runtime;
using Microsoft.Extensions.Hosting;

namespace ImapProxy.Server;

/// <summary>
/// After a burst of allocation (a whole-folder FETCH, adopting thousands of messages) the GC keeps the heap it grew
/// to, so an idle server would sit on hundreds of MB. Every few seconds this looks at how much was allocated: once
/// a burst of at least <see cref="BurstBytes"/> is followed by a quiet interval, one compacting full collection
/// returns the free memory to the OS. A busy server is never interrupted, a quiet one pays once per burst.
/// </summary>
internal sealed class IdleMemoryTrimmer(IAccountResolver accounts) : BackgroundService
{
    private const long BurstBytes = 64L << 20;
    private const long QuietBytes = 1L << 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        long trimmedAt = GC.GetTotalAllocatedBytes();
        long previous = trimmedAt;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long now = GC.GetTotalAllocatedBytes();
                bool quiet = now - previous < QuietBytes;
                previous = now;
                if (quiet && now - trimmedAt >= BurstBytes)
                {
                    SharedSnapshots.Clear();
                    foreach (var store in accounts.Stores)
                    {
                        await store.TrimIdleFoldersAsync(stoppingToken).ConfigureAwait(false);
                    }
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    trimmedAt = GC.GetTotalAllocatedBytes();
                    previous = trimmedAt;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }
}
