using System.Globalization;
using ImapProxy.Store;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.Upstream.Sync.Adapters.Imap;
using ImapProxy.Upstream.Sync.State;

// Usage: SyncCrashDriver <host> <port> <user> <password> <mirror> <state>
// One sync run, as `imapproxy sync` does it: open the mirror and the state, connect upstream, run the engine.
// Prints "ready" once connected, just before the engine starts (kills are timed from there, so they land in the
// sync's work rather than in process start-up), "done <success>" when it ends; exit 0 when the run succeeded.
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: SyncCrashDriver <host> <port> <user> <password> <mirror> <state>");
    return 2;
}
await using var store = await AccountStore.OpenAsync(args[4]);
await using var state = await SyncStateStore.OpenAsync(args[5]);
var options = new UpstreamOptions
{
    Host = args[0], Port = int.Parse(args[1], CultureInfo.InvariantCulture), Tls = TlsMode.None, User = args[2], Password = args[3],
};
await using var upstream = await ImapMailSide.ConnectAsync(options, 2);
Console.WriteLine("ready");
Console.Out.Flush();
var report = await new SyncEngine(upstream, new MaildirMailSide(store), state)
    .RunAsync(new SyncOptions { MaxParallelFolders = 2 });
foreach (var folder in report.Folders.Where(f => f.Error is not null || f.Stopped is not null))
{
    Console.WriteLine($"{folder.Folder}: {folder.Error ?? folder.Stopped}");
}
Console.WriteLine($"done {report.Success}");
return report.Success ? 0 : 1;
