using ImapProxy.Store;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// The mail of one trial, drawn from a seeded random: a small upstream account to start from (three folders), and
/// rounds of changes on both sides that touch every rule (new messages each side and a new folder, flag changes, a
/// flag change on both sides of one message, expunges, an expunge upstream against a flag change locally, a local
/// moves on each side). Each change goes to the model with the result the sync rules promise; changes touch distinct messages, so
/// that result does not depend on the order the engine works in.
/// </summary>
internal static class TrialScenario
{
    private static readonly string[] Folders = ["INBOX", "Work", "Lists"];
    private static readonly string[] FlagChoices = ["", @"\Seen", @"\Seen \Flagged", @"\Answered \Seen", @"\Flagged $Label1"];

    /// <summary>Seeds the upstream (through Dovecot's Maildir, as a delivery agent would) with 8–12 messages per folder.</summary>
    public static async Task SeedUpstreamAsync(SyncAccount account, Random random)
    {
        var seeder = account.Bed.Maildir(account.User.Name);
        foreach (var folder in Folders)
        {
            account.Model.AddFolder(folder);
            var count = random.Next(8, 13);
            for (var i = 0; i < count; i++)
            {
                var letters = random.Next(4) switch { 0 => "", 1 => "S", 2 => "FS", _ => "RS" };
                var message = account.NewMessage();
                await seeder.AddAsync(folder, message, letters);
                account.Model.Add(folder, message, string.Join(' ', letters.Select(l => l switch
                {
                    'S' => @"\Seen", 'F' => @"\Flagged", _ => @"\Answered",
                })));
            }
        }
    }

    /// <summary>One round of changes on both sides, made before a sync starts.</summary>
    public static async Task ChangeBothSidesAsync(SyncAccount account, Random random, int round)
    {
        var model = account.Model;
        var pool = model.Messages().OrderBy(_ => random.Next()).ToList();
        (string Folder, string Id) Take(Func<(string Folder, string Id), bool>? where = null)
        {
            var index = Math.Max(0, pool.FindIndex(m => where is null || where(m)));
            var picked = pool[index];
            pool.RemoveAt(index);
            return picked;
        }
        string RandomFlags() => FlagChoices[random.Next(FlagChoices.Length)];

        await using var upstream = await account.UpstreamAsync();
        await using var store = await AccountStore.OpenAsync(account.LocalRoot);

        for (var i = 0; i < 5; i++)
        {
            var message = account.NewMessage();
            var folder = Folders[random.Next(Folders.Length)];
            var flags = RandomFlags();
            if (i % 2 == 0)
            {
                await upstream.AppendAsync(folder, message, flags);
            }
            else
            {
                await LocalMirror.AppendAsync(store, folder, message, flags);
            }
            model.Add(folder, message, flags);
        }
        // A new folder on each side.
        var upFolder = $"Up{round}";
        await upstream.CreateAsync(upFolder);
        var upMessage = account.NewMessage();
        await upstream.AppendAsync(upFolder, upMessage, @"\Seen");
        model.Add(upFolder, upMessage, @"\Seen");
        var localMessage = account.NewMessage();
        await LocalMirror.AppendAsync(store, $"Local{round}", localMessage, "");
        model.Add($"Local{round}", localMessage, "");

        for (var i = 0; i < 6; i++)
        {
            var (folder, id) = Take();
            var flags = RandomFlags();
            if (i % 2 == 0)
            {
                await upstream.SetFlagsAsync(folder, id, flags);
            }
            else
            {
                await LocalMirror.SetFlagsAsync(store, folder, id, flags);
            }
            model.SetFlags(folder, id, flags);
        }
        for (var i = 0; i < 4; i++)
        {
            var (folder, id) = Take();
            if (i % 2 == 0)
            {
                await upstream.ExpungeAsync(folder, id);
            }
            else
            {
                await LocalMirror.ExpungeAsync(store, folder, id);
            }
            model.Remove(folder, id);
        }

        // Both sides change one message's flags, differently: the merge keeps both changes.
        var (bothFolder, bothId) = Take();
        var baseFlags = model.FlagsOf(bothFolder, bothId);
        await upstream.SetFlagsAsync(bothFolder, bothId, (baseFlags + " $Upstream").Trim());
        await LocalMirror.SetFlagsAsync(store, bothFolder, bothId, (baseFlags + @" \Draft").Trim());
        model.SetFlags(bothFolder, bothId, baseFlags + @" $Upstream \Draft");

        // Expunged upstream, changed locally: kept (safety first), with the local flags, on both sides.
        var (conflictFolder, conflictId) = Take();
        var changed = Toggle(model.FlagsOf(conflictFolder, conflictId), @"\Flagged");
        await upstream.ExpungeAsync(conflictFolder, conflictId);
        await LocalMirror.SetFlagsAsync(store, conflictFolder, conflictId, changed);
        model.SetFlags(conflictFolder, conflictId, changed);

        // A move between folders on each side.
        var (moveFrom, moveId) = Take(m => m.Folder == "INBOX");
        var moveTo = moveFrom == "INBOX" ? "Work" : "INBOX";
        await LocalMirror.MoveAsync(store, moveFrom, moveId, moveTo);
        model.Move(moveFrom, moveId, moveTo);
        var (upMoveFrom, upMoveId) = Take(m => m.Folder == "Lists");
        var upMoveTo = upMoveFrom == "Lists" ? "INBOX" : "Lists";
        await upstream.MoveAsync(upMoveFrom, upMoveId, upMoveTo);
        model.Move(upMoveFrom, upMoveId, upMoveTo);
    }

    private static string Toggle(string flags, string flag)
    {
        var set = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!set.Remove(flag))
        {
            set.Add(flag);
        }
        return string.Join(' ', set);
    }
}
