using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Server;

/// <summary>
/// After a burst of allocation (a whole-folder FETCH, adopting thousands of messages) the GC keeps the heap it grew
/// to, so an idle server would sit on hundreds of MB. Every few seconds this looks at how much was allocated: once
/// a burst of at least <see cref="BurstBytes"/> is followed by a quiet interval, one compacting full collection
/// returns the free memory to the OS. A busy server is never interrupted, a quiet one pays once per burst.
/// Folders that no session has selected give back their messages after <see cref="FolderIdleTime"/> unused (the
/// synchronizer's first pass opens every folder); that too is followed by a collection.
/// </summary>
internal sealed class IdleMemoryTrimmer(IAccountResolver accounts, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private const long BurstBytes = 64L << 20;
    private const long QuietBytes = 1L << 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Reading a released folder back costs one index read (about 16 ms for 100,000 messages), so a folder that is
    /// used again soon may as well be released; a few seconds keep a synchronizer pass or a client's
    /// SELECT-after-STATUS from paying it twice in a row.
    /// </summary>
    private static readonly TimeSpan FolderIdleTime = TimeSpan.FromSeconds(5);

    private static bool _nativeTrimUnavailable;

    /// <summary>
    /// Gives glibc's free heap pages back to the OS: SQLite's caches and the runtime's native buffers are freed into
    /// malloc's arenas during a burst (adopting thousands of files), and glibc keeps them resident until asked.
    /// Other C libraries (musl) have no such call; then this does nothing.
    /// </summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || _nativeTrimUnavailable) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _nativeTrimUnavailable = true;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

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
                int released = 0;
                foreach (var store in accounts.Stores)
                {
                    released += await store.ReleaseIdleFoldersAsync(FolderIdleTime, stoppingToken).ConfigureAwait(false);
                }
                long now = GC.GetTotalAllocatedBytes();
                bool quiet = now - previous < QuietBytes;
                previous = now;
                if (released > 0 || (quiet && now - trimmedAt >= BurstBytes))
                {
                    SharedSnapshots.Clear();
                    int trimmed = 0;
                    foreach (var store in accounts.Stores)
                    {
                        trimmed += await store.TrimIdleFoldersAsync(stoppingToken).ConfigureAwait(false);
                    }
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    TrimNativeHeap();
                    var gc = GC.GetGCMemoryInfo(GCKind.Any);
                    logger.LogInformation("Idle trim: {Released} folders released, {Folders} trimmed; managed heap {Heap:N1} MB, committed {Committed:N1} MB, fragmented {Fragmented:N1} MB",
                        released, trimmed, gc.HeapSizeBytes / 1048576.0, gc.TotalCommittedBytes / 1048576.0, gc.FragmentedBytes / 1048576.0);
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
