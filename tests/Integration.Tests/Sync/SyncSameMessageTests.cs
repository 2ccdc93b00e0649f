using System.Diagnostics;
using ImapProxy.Integration.Tests.Server;
using ImapProxy.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// Issue 6: syncs run back to back (on the store our local server serves, as in <c>serve</c>) while a mail client
/// on the local server, an external program renaming and deleting Maildir files and a mail client on Dovecot all
/// change the SAME messages. The end state is checked against the sync rules, message by message:
/// <list type="bullet">
/// <item>Three writers each toggle a different flag of one message: every change survives, on both sides, whatever
/// syncs ran in between (the per-flag three-way merge; a sync or a store writing flags it read earlier would lose one).</item>
/// <item>One side expunges a message while the other changes its flags. When no sync ran between the two changes
/// (always so for the pairs made while syncs are held off, and checked by the clock for the others), the message is
/// kept on both sides with the changed flags: re-copied to the side that expunged it. When a sync ran in between, the
/// rules allow that or its removal from both sides (or, when the sync fell between an IMAP client's STORE \Deleted
/// and its EXPUNGE, keeping it with \Deleted as well), never one side only, never a duplicate.</item>
/// <item>Both sides expunge one message: it is gone from both.</item>
/// </list>
/// Seeded (<see cref="TrialSeed"/>); a failure prints the seed, the timeline and both sides.
/// </summary>
public sealed class SyncSameMessageTests(ITestOutputHelper output)
{
    private static readonly string[] Flags = [.. ExternalMaildirWriter.Flags];

    [Fact]
    public async Task Writers_on_both_sides_changing_the_same_messages_during_syncs_end_as_the_rules_say()
    {
        var seed = TrialSeed.Value;
        var random = new Random(seed + 7);
        await using var bed = await DovecotTestBed.StartAsync();
        using var root = new TrialDirectory("imapproxy-same-");
        var account = new SyncAccount(bed, bed.DefaultUser, root.Sub("account"), 0) { Connections = 2 };
        await TrialScenario.SeedUpstreamAsync(account, random);
        var initial = await account.SyncAsync();
        Assert.True(initial.Success, initial.Describe());

        await using var server = await RunningServer.StartAsync(account.LocalRoot);
        await using var writers = await Writers.StartAsync(account, server);
        var targets = new List<Target>();
        foreach (var (folder, id) in account.Model.Messages().OrderBy(_ => random.Next()).Take(16))
        {
            targets.Add(await writers.ResolveAsync(account, server, folder, id));
        }

        // Three writers, three flags, one message (6 messages): queued per writer, run in each writer's own order.
        var queues = new[] { new List<Func<Task>>(), new List<Func<Task>>(), new List<Func<Task>>() };
        foreach (var target in targets.Take(6))
        {
            var flags = Flags.OrderBy(_ => random.Next()).ToArray();
            queues[0].Add(() => writers.ToggleAsync(Writer.Maildir, target, flags[0]));
            queues[1].Add(() => writers.ToggleAsync(Writer.LocalClient, target, flags[1]));
            queues[2].Add(() => writers.ToggleAsync(Writer.Upstream, target, flags[2]));
            target.Expected = target.Toggled(flags[0], flags[1], flags[2]);
        }
        // Expunge on one side against a flag change on the other (8 messages, each kind twice), and expunges on both (2).
        var pairs = new List<Pair>();
        (Writer Expunger, Writer Changer)[] kinds =
            [(Writer.Upstream, Writer.LocalClient), (Writer.Upstream, Writer.Maildir), (Writer.Maildir, Writer.Upstream), (Writer.LocalClient, Writer.Upstream)];
        foreach (var (target, i) in targets.Skip(6).Take(8).Select((t, i) => (t, i)))
        {
            var (expunger, changer) = kinds[i / 2];
            var flag = Flags[random.Next(Flags.Length)];
            target.Expected = target.Toggled(flag);
            pairs.Add(new Pair(target, Gated: i % 2 == 0, $"{expunger} expunges, {changer} toggles {flag}",
                () => writers.ExpungeAsync(expunger, target), () => writers.ToggleAsync(changer, target, flag))
            {
                TwoStepExpunge = expunger != Writer.Maildir,
            });
        }
        foreach (var (target, i) in targets.Skip(14).Select((t, i) => (t, i)))
        {
            target.Expected = null;
            pairs.Add(new Pair(target, Gated: i == 0, "both expunge",
                () => writers.ExpungeAsync(Writer.LocalClient, target), () => writers.ExpungeAsync(Writer.Upstream, target)));
        }

        var gate = new SemaphoreSlim(1, 1);
        var syncs = new List<(long Start, long End, SyncRun Run)>();
        using var stop = new CancellationTokenSource();
        var syncLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await gate.WaitAsync();
                try
                {
                    var start = Stopwatch.GetTimestamp();
                    var run = await account.SyncAsync(sharedStore: server.Store);
                    lock (syncs)
                    {
                        syncs.Add((start, Stopwatch.GetTimestamp(), run));
                    }
                }
                finally
                {
                    gate.Release();
                }
                await Task.Delay(5);
            }
        });
        try
        {
            var work = queues.Select((queue, i) => RunQueueAsync(queue, new Random(seed + 10 + i))).ToList();
            work.Add(RunPairsAsync(pairs, gate, new Random(seed + 20)));
            await Task.WhenAll(work);
        }
        finally
        {
            await stop.CancelAsync();
            await syncLoop;
        }

        var settle = new List<SyncRun>();
        for (var i = 0; i < 5 && (settle.Count == 0 || !settle[^1].Idle); i++)
        {
            settle.Add(await account.SyncAsync(sharedStore: server.Store));
        }
        var timeline = Timeline(syncs, pairs);
        Assert.True(settle[^1].Success && settle[^1].Idle,
            $"seed {seed}: did not settle:\n{string.Join("\n---\n", settle.Select(r => r.Describe()))}\n{timeline}");

        MailSnapshot upstream;
        await using (var mailbox = await account.UpstreamAsync())
        {
            upstream = await mailbox.SnapshotAsync();
        }
        MailSnapshot throughServer;
        await using (var client = await RawMailbox.LoginAsync("127.0.0.1", server.Port, RunningServer.User, RunningServer.Password))
        {
            throughServer = await client.SnapshotAsync();
        }

        // The model: what each rule demands, given (for pairs a sync ran through) which outcome the upstream shows.
        var model = account.Model;
        var kept = 0;
        var keptDeleted = 0;
        var strict = 0;
        foreach (var pair in pairs)
        {
            pair.Strict = pair.Gated || !syncs.Any(s => s.Start < pair.End && s.End > pair.Start);
            strict += pair.Strict && pair.Target.Expected is not null ? 1 : 0;
            var line = upstream.Folders.GetValueOrDefault(pair.Target.Folder)?.FirstOrDefault(l => l.StartsWith(pair.Target.Id + " ", StringComparison.Ordinal));
            if (pair.Target.Expected is { } flags && (pair.Strict || line is not null))
            {
                kept++;
                // An IMAP client expunges in two steps, STORE \Deleted then EXPUNGE. A sync in between sees \Deleted as
                // a flag change and merges it with the other side's change; the expunge that follows then meets a
                // changed message on the other side, which is kept, \Deleted included.
                var withDeleted = MailFlags.Canonical(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(@"\Deleted"));
                if (!pair.Strict && pair.TwoStepExpunge && line is not null && line.EndsWith($"[{withDeleted}]", StringComparison.Ordinal))
                {
                    flags = withDeleted;
                    keptDeleted++;
                }
                model.SetFlags(pair.Target.Folder, pair.Target.Id, flags);
            }
            else
            {
                model.Remove(pair.Target.Folder, pair.Target.Id);
            }
        }
        foreach (var target in targets.Take(6))
        {
            model.SetFlags(target.Folder, target.Id, target.Expected!);
        }
        var problems = model.Differences(upstream).Select(d => "upstream " + d)
            .Concat(model.Differences(throughServer).Select(d => "local server " + d))
            .Concat(await FilesAgreeAsync(server, throughServer)).ToList();
        output.WriteLine($"seed {seed}: {syncs.Count} syncs during the writes ({syncs.Count(s => !s.Run.Success)} with a folder error), "
                         + $"{settle.Count} to settle; {strict} of 8 expunge-vs-change pairs had no sync between them; {kept} kept ({keptDeleted} with \\Deleted)");
        Assert.True(problems.Count == 0,
            $"seed {seed}:\n{string.Join("\n", problems)}\n{timeline}\nupstream:\n{upstream.Describe()}\nlocal:\n{throughServer.Describe()}");
    }

    private static async Task RunQueueAsync(List<Func<Task>> queue, Random random)
    {
        foreach (var step in queue.OrderBy(_ => random.Next()).ToList())
        {
            await step();
            await Task.Delay(random.Next(20, 150));
        }
    }

    /// <summary>Runs each pair's two changes at once; a gated pair holds syncs off until both are done.</summary>
    private static async Task RunPairsAsync(List<Pair> pairs, SemaphoreSlim gate, Random random)
    {
        foreach (var pair in pairs.OrderBy(_ => random.Next()).ToList())
        {
            if (pair.Gated)
            {
                await gate.WaitAsync();
            }
            try
            {
                pair.Start = Stopwatch.GetTimestamp();
                await Task.WhenAll(pair.First(), pair.Second());
                pair.End = Stopwatch.GetTimestamp();
            }
            finally
            {
                if (pair.Gated)
                {
                    gate.Release();
                }
            }
            await Task.Delay(random.Next(20, 150));
        }
    }

    /// <summary>Every folder the server shows has as many files in cur/ and new/ as messages (no stray or lost file).</summary>
    private static async Task<List<string>> FilesAgreeAsync(RunningServer server, MailSnapshot throughServer)
    {
        var problems = new List<string>();
        foreach (var (folder, lines) in throughServer.Folders)
        {
            var path = (await server.Store.OpenFolderAsync(folder)).Path;
            var files = new[] { "cur", "new" }.Sum(d => Directory.GetFiles(Path.Combine(path, d)).Length);
            if (files != lines.Count)
            {
                problems.Add($"local {folder}: {files} files on disk for {lines.Count} messages served");
            }
        }
        return problems;
    }

    private static string Timeline(List<(long Start, long End, SyncRun Run)> syncs, List<Pair> pairs)
    {
        var origin = syncs.Count > 0 ? syncs.Min(s => s.Start) : 0;
        string Ms(long t) => $"{Stopwatch.GetElapsedTime(origin, t).TotalMilliseconds:0}";
        return "timeline (ms):\n" + string.Join("\n", syncs.Select(s => (s.Start, $"  sync {Ms(s.Start)}–{Ms(s.End)}{(s.Run.Success ? "" : " " + s.Run.Describe())}"))
            .Concat(pairs.Select(p => (p.Start, $"  pair {Ms(p.Start)}–{Ms(p.End)} {p.Target.Folder} {p.Target.Id}: {p.What}{(p.Gated ? " (gated)" : "")}")))
            .OrderBy(e => e.Item1).Select(e => e.Item2));
    }

    private sealed record Pair(Target Target, bool Gated, string What, Func<Task> First, Func<Task> Second)
    {
        public long Start { get; set; }

        public long End { get; set; }

        public bool Strict { get; set; }

        /// <summary>The expunge is an IMAP client's STORE \Deleted + EXPUNGE (a Maildir delete is one step).</summary>
        public bool TwoStepExpunge { get; init; }
    }
}
