using System.Collections.Concurrent;
using ImapProxy.Integration.Tests.Server;
using ImapProxy.Store;
using ImapProxy.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Issue 6: syncs run back to back while three writers are busy at once: a mail client on our local IMAP server
/// (over the same store the sync uses), an external program writing the Maildir directly (files dropped into new/,
/// flags renamed in cur/) and a mail client on the upstream Dovecot. When they stop, the sync converges: both sides
/// hold exactly what the writers left (bodies by SHA-256, flags, no duplicates), seen through the local server and
/// through the Maildir files alike.
/// </summary>
public sealed class SyncUnderLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Local_client_external_maildir_writer_and_upstream_changes_during_syncs_converge()
    {
        var seed = TrialSeed.Value;
        var random = new Random(seed);
        await using var bed = await DovecotTestBed.StartAsync();
        using var root = new TrialDirectory("imapproxy-busy-");
        var account = new SyncAccount(bed, bed.DefaultUser, root.Sub("account"), 0);
        await TrialScenario.SeedUpstreamAsync(account, random);
        var initial = await account.SyncAsync();
        Assert.True(initial.Success, initial.Describe());

        var model = account.Model;
        // Seeded messages each writer may change, so no two writers touch one message (the result stays defined).
        var seeded = model.Messages().OrderBy(_ => random.Next()).ToList();
        var forLocal = seeded.Take(4).ToList();
        var forUpstream = seeded.Skip(4).Take(4).ToList();

        await using var server = await RunningServer.StartAsync(account.LocalRoot);
        var stop = new CancellationTokenSource();
        var runs = new ConcurrentBag<SyncRun>();
        var syncLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                runs.Add(await account.SyncAsync(sharedStore: server.Store));
            }
        });

        var writers = new[]
        {
            LocalClientAsync(account, server, new Random(seed + 1), forLocal),
            MaildirWriterAsync(account, server.Store, new Random(seed + 2)),
            UpstreamClientAsync(account, new Random(seed + 3), forUpstream),
        };
        try
        {
            await Task.WhenAll(writers);
        }
        finally
        {
            await stop.CancelAsync();
            await syncLoop;
        }

        var settle = new List<SyncRun>();
        for (var i = 0; i < 4 && (settle.Count == 0 || !settle[^1].Idle); i++)
        {
            settle.Add(await account.SyncAsync(sharedStore: server.Store));
        }
        output.WriteLine($"seed {seed}: {runs.Count} syncs during the writes, {settle.Count} to settle; "
                         + $"{runs.Count(r => !r.Success)} reported a folder error during the writes");
        Assert.True(settle[^1].Success && settle[^1].Idle, "did not settle:\n" + string.Join("\n---\n", settle.Select(r => r.Describe())));

        MailSnapshot upstream;
        await using (var mailbox = await account.UpstreamAsync())
        {
            upstream = await mailbox.SnapshotAsync();
        }
        MailSnapshot throughServer;
        await using (var local = await RawMailbox.LoginAsync("127.0.0.1", server.Port, RunningServer.User, RunningServer.Password))
        {
            throughServer = await local.SnapshotAsync();
        }
        var problems = model.Differences(upstream).Select(d => "upstream " + d)
            .Concat(model.Differences(throughServer).Select(d => "local server " + d)).ToList();
        Assert.True(problems.Count == 0, $"seed {seed}:\n{string.Join("\n", problems)}\nupstream:\n{upstream.Describe()}\nlocal:\n{throughServer.Describe()}");
    }

    private static Task Pause(Random random) => Task.Delay(random.Next(30, 250));

    /// <summary>A mail client on the local server: appends, changes flags, expunges and moves.</summary>
    private static async Task LocalClientAsync(SyncAccount account, RunningServer server, Random random, List<(string Folder, string Id)> seeded)
    {
        var model = account.Model;
        await using var client = await RawMailbox.LoginAsync("127.0.0.1", server.Port, RunningServer.User, RunningServer.Password);
        var mine = new List<(string Folder, string Id)>();
        for (var i = 0; i < 6; i++)
        {
            var folder = i % 3 == 0 ? "Work" : "INBOX";
            var message = account.NewMessage();
            await client.AppendAsync(folder, message, i % 2 == 0 ? @"\Seen" : "");
            model.Add(folder, message, i % 2 == 0 ? @"\Seen" : "");
            mine.Add((folder, MailSnapshot.MessageIdOf(message)));
            await Pause(random);
        }
        await client.SetFlagsAsync(mine[1].Folder, mine[1].Id, @"\Flagged $Todo");
        model.SetFlags(mine[1].Folder, mine[1].Id, @"\Flagged $Todo");
        await Pause(random);
        await client.ExpungeAsync(mine[2].Folder, mine[2].Id);
        model.Remove(mine[2].Folder, mine[2].Id);
        foreach (var (folder, id) in seeded.Take(3))
        {
            await client.SetFlagsAsync(folder, id, @"\Answered \Seen");
            model.SetFlags(folder, id, @"\Answered \Seen");
            await Pause(random);
        }
        var (moveFrom, moveId) = seeded[3];
        var moveTo = moveFrom == "Lists" ? "Work" : "Lists";
        await client.MoveAsync(moveFrom, moveId, moveTo);
        model.Move(moveFrom, moveId, moveTo);
    }

    /// <summary>Another program writing the Maildir directly: deliveries through tmp/ into new/, flags by renaming into cur/.</summary>
    private static async Task MaildirWriterAsync(SyncAccount account, AccountStore store, Random random)
    {
        var model = account.Model;
        var delivered = new List<(string Folder, string Path, string Id)>();
        for (var i = 0; i < 6; i++)
        {
            var folder = i % 2 == 0 ? "INBOX" : "Lists";
            var directory = (await store.OpenFolderAsync(folder)).Path;
            var message = account.NewMessage();
            var name = $"{1800000000 + i}.M{random.Next(1000000)}P{Environment.ProcessId}.external";
            var temporary = Path.Combine(directory, "tmp", name);
            await File.WriteAllBytesAsync(temporary, message);
            var final = Path.Combine(directory, "new", name);
            File.Move(temporary, final);
            model.Add(folder, message, "");
            delivered.Add((folder, final, MailSnapshot.MessageIdOf(message)));
            await Pause(random);
        }
        foreach (var (folder, path, id) in delivered.Where((_, i) => i % 2 == 1))
        {
            // What a mail reader on the Maildir does when a message is read: new/name → cur/name:2,S.
            var read = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, "cur", Path.GetFileName(path) + ":2,S");
            File.Move(path, read);
            model.SetFlags(folder, id, @"\Seen");
            await Pause(random);
        }
    }

    /// <summary>A mail client on the upstream server: appends, changes flags and expunges.</summary>
    private static async Task UpstreamClientAsync(SyncAccount account, Random random, List<(string Folder, string Id)> seeded)
    {
        var model = account.Model;
        await using var client = await account.UpstreamAsync();
        var mine = new List<(string Folder, string Id)>();
        for (var i = 0; i < 6; i++)
        {
            var folder = i % 2 == 0 ? "Work" : "INBOX";
            var message = account.NewMessage();
            await client.AppendAsync(folder, message, i % 3 == 0 ? @"\Flagged" : "");
            model.Add(folder, message, i % 3 == 0 ? @"\Flagged" : "");
            mine.Add((folder, MailSnapshot.MessageIdOf(message)));
            await Pause(random);
        }
        await client.SetFlagsAsync(mine[4].Folder, mine[4].Id, @"\Seen $Upstream");
        model.SetFlags(mine[4].Folder, mine[4].Id, @"\Seen $Upstream");
        await client.ExpungeAsync(mine[5].Folder, mine[5].Id);
        model.Remove(mine[5].Folder, mine[5].Id);
        foreach (var (folder, id) in seeded.Take(3))
        {
            await client.SetFlagsAsync(folder, id, @"\Seen \Flagged");
            model.SetFlags(folder, id, @"\Seen \Flagged");
            await Pause(random);
        }
        await client.ExpungeAsync(seeded[3].Folder, seeded[3].Id);
        model.Remove(seeded[3].Folder, seeded[3].Id);
    }
}
