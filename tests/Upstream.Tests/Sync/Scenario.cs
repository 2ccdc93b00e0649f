namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// A rich scenario touching every rule at once: synced folders, then on both sides new messages, flag changes,
/// expunges, an expunge-versus-change conflict, a move between folders and new folders.
/// </summary>
internal static class Scenario
{
    public static async Task SetUpSyncedAsync(SyncHarness h)
    {
        for (var i = 1; i <= 6; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", i == 1 ? "" : "S");
        }
        await SideOps.AddAsync(h.Upstream, "INBOX", "noid", "S", withMessageId: false);
        await SideOps.AddAsync(h.Upstream, "Archive", "a1", "S");
        await SideOps.EnsureFolderAsync(h.Upstream, "Empty");
        await h.SyncToConvergenceAsync();
    }

    public static async Task ChangeBothSidesAsync(SyncHarness h)
    {
        await SideOps.AddAsync(h.Upstream, "INBOX", "u1");
        await SideOps.SetFlagsAsync(h.Upstream, "INBOX", "m1", "S");
        await SideOps.ExpungeAsync(h.Upstream, "INBOX", "m2");
        await SideOps.ExpungeAsync(h.Upstream, "INBOX", "m6");      // conflict: flagged locally below
        await SideOps.AddAsync(h.Upstream, "Up/New", "u2", "F");

        await SideOps.AddAsync(h.Local, "INBOX", "l1", "S");
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m3", "FS");
        await SideOps.ExpungeAsync(h.Local, "INBOX", "m4");
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m6", "AS");
        await SideOps.MoveAsync(h.Local, "INBOX", "m5", "Archive");
        await SideOps.AddAsync(h.Local, "Local/New", "l2");
        await h.Local.DeleteFolderAsync("Empty", default);
    }
}
