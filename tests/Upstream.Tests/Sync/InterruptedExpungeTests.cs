using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// An expunge is two steps on a real side (STORE +FLAGS \Deleted, then UID EXPUNGE; the Maildir store does the
/// same). Found by the fault-injection trials against Dovecot (seed 3, account 17): a connection cut between the two
/// left the message upstream with \Deleted added, the next run took that for a change, and "expunged on one side,
/// changed on the other" copied it back to the mirror, \Deleted and all. The journal's expunge intent must finish it.
/// </summary>
public sealed class InterruptedExpungeTests
{
    [Theory]
    // Interrupted after the \Deleted mark: finished.
    [InlineData(false, true, "", false, null)]
    [InlineData(true, true, "", false, null)]
    // Interrupted before the mark: finished too (it was decided, and nothing changed since).
    [InlineData(false, false, "", false, null)]
    [InlineData(true, false, "", false, null)]
    // The user changed the message after the interruption: kept on both sides, without our \Deleted.
    [InlineData(false, true, "F", true, "FS")]
    [InlineData(true, true, "F", true, "FS")]
    public async Task An_expunge_interrupted_half_way_is_finished_not_resurrected(
        bool swapped, bool markedDeleted, string userAddsLater, bool kept, string? keptFlags)
    {
        await using var h = await SyncHarness.CreateAsync(swapped);
        for (var i = 0; i < 3; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", "S");
        }
        await h.SyncToConvergenceAsync();
        await SideOps.ExpungeAsync(h.Local, "INBOX", "m1");

        // What the interrupted run left: the intent in the journal, and perhaps the \Deleted mark upstream.
        var uid = await SideOps.UidOfAsync(h.Upstream, "INBOX", "m1");
        var folderId = await h.State.ReadAsync(tx => tx.GetFolders().Single(f => f.Name == "INBOX").Id);
        await h.State.WriteAsync(tx => tx.AddIntent(folderId, new JournalIntent { Op = "expunge", Side = h.UpIndex, Uids = [uid] }));
        if (markedDeleted)
        {
            Assert.True(await h.Upstream.StoreFlagsAsync("INBOX", uid, FlagSet.Of(@"\Deleted"), FlagSet.Empty, 0, default));
        }
        if (userAddsLater.Length > 0)
        {
            Assert.True(await h.Upstream.StoreFlagsAsync("INBOX", uid, TestMessages.Flags(userAddsLater), FlagSet.Empty, 0, default));
        }

        var report = await h.SyncToConvergenceAsync();

        Assert.Equal(1, report.ReplayedIntents);
        Assert.Equal(kept ? [keptFlags!] : [], await SideOps.CopiesAsync(h.Upstream, "INBOX", "m1"));
        Assert.Equal(kept ? [keptFlags!] : [], await SideOps.CopiesAsync(h.Local, "INBOX", "m1"));
        Assert.Equal(2, (await SideOps.CopiesAsync(h.Local, "INBOX", "m0")).Count + (await SideOps.CopiesAsync(h.Local, "INBOX", "m2")).Count);
        await h.AssertSidesEqualAsync();
    }
}
