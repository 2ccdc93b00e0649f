using BenchmarkDotNet.Running;

namespace ImapProxy.Bench;

/// <summary>Runs the benchmarks in this assembly; pick them with --filter, as BenchmarkDotNet documents.</summary>
public static class BenchMain
{
    /// <summary>Entry point; <c>store</c> runs the Stopwatch benchmarks of the Maildir store, <c>sync</c> the sync comparison with mbsync and offlineimap3, <c>serve-sync</c> the no-op pass inside serve, <c>server</c> the local server against Dovecot, <c>server-memory</c> the server's RSS alone, <c>download</c> the upstream client's download against a raw socket read.</summary>
    public static async Task Main(string[] args)
    {
        if (args is ["store", ..])
        {
            await StoreBenchmarks.RunAsync(args[1..]);
            return;
        }
        if (args is ["sync", ..])
        {
            await SyncPeers.SyncPeerBenchmark.RunAsync(args[1..]);
            return;
        }
        if (args is ["serve-sync", ..])
        {
            await SyncPeers.ServeSyncBenchmark.RunAsync(args[1..]);
            return;
        }
        if (args is ["download", ..])
        {
            await DownloadBenchmarks.RunAsync();
            return;
        }
        if (args is ["server-memory", ..])
        {
            await ServerMemoryBenchmark.RunAsync();
            return;
        }
        if (args is ["server", ..])
        {
            await ServerBenchmarks.RunAsync(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchMain).Assembly).Run(args);
    }
}
