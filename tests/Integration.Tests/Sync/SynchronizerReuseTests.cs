using ImapProxy.Store;
using ImapProxy.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// One long-lived <see cref="AccountSynchronizer"/> over a store its caller keeps open, as <c>serve</c> uses it:
/// pass after pass, with changes on both sides in between and the server dropping every connection once.
/// </summary>
public sealed class SynchronizerReuseTests
{
    [Fact]
    public async Task Passes_on_one_instance_follow_changes_and_survive_dropped_connections()
    {
        await using var bed = await SyncBed.StartAsync();
        await using var store = await AccountStore.OpenAsync(bed.MaildirPath, new MailStoreOptions());
        var local = new MaildirMailSide(store);
        await using var synchronizer = new AccountSynchronizer(await bed.AccountConfigAsync(), bed.StateDir, store);
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.AddAsync(side, "INBOX", "m1");
            return true;
        });

        var first = await synchronizer.RunOnceAsync(new SyncRequestOptions());
        Assert.True(first.Success, SyncBed.Explain(first));
        Assert.Single(await SideOps.CopiesAsync(local, "INBOX", "m1"));

        // A local change (as the local IMAP server would make it) and an upstream one.
        await SideOps.AddAsync(local, "INBOX", "l1", "S");
        await bed.UpstreamAsync(async side =>
        {
            await SideOps.SetFlagsAsync(side, "INBOX", "m1", "F");
            return true;
        });
        var second = await synchronizer.RunOnceAsync(new SyncRequestOptions());
        Assert.True(second.Success, SyncBed.Explain(second));
        Assert.Equal(["F"], await SideOps.CopiesAsync(local, "INBOX", "m1"));
        Assert.Equal(["S"], await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "l1")));

        // The server drops every session; the next pass reconnects on its own.
        await bed.Dovecot.DoveadmAsync("kick", bed.Dovecot.DefaultUser.Name);
        // Until the kicked processes are gone, the next pass could take a connection whose BYE is still on its way
        // and fail mid-command: that is a drop during a pass, not the drop between passes this test is about.
        var user = bed.Dovecot.DefaultUser.Name;
        await Bounded.StepAsync(async token =>
        {
            while ((await bed.Dovecot.DoveadmAsync("who")).Split('\n').Any(l => l.StartsWith(user + " ", StringComparison.Ordinal)))
                await Task.Delay(50, token);
            return true;
        }, Bounded.Patience, () => "Dovecot's kicked sessions to end (doveadm who)");
        await SideOps.AddAsync(local, "INBOX", "l2");
        var third = await synchronizer.RunOnceAsync(new SyncRequestOptions());
        Assert.True(third.Success, SyncBed.Explain(third));
        Assert.Single(await bed.UpstreamAsync(side => SideOps.CopiesAsync(side, "INBOX", "l2")));

        var idle = await synchronizer.RunOnceAsync(new SyncRequestOptions());
        Assert.True(idle.Folders.All(f => f.Plan is null || f.Plan.IsEmpty), SyncBed.Explain(idle));
        await synchronizer.DisposeAsync();
        // The given store stays the caller's: still open after the synchronizer is gone.
        Assert.Equal(3, (await local.ListMessagesAsync("INBOX", 0, default)).Messages.Count);
    }
}
