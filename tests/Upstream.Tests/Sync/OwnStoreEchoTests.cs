namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// The pass after one that wrote (flag stores, copies, expunges) must find the folder unchanged (not list it again for
/// its own changes), yet a change another client makes while we write must still arrive. "live" runs against Dovecot with a Maildir store,
/// the other client being a second IMAP session; "memory" runs on the in-memory sides.
/// </summary>
public sealed class OwnStoreEchoTests
{
    public static TheoryData<string, bool> Beds => new() { { "memory", false }, { "memory", true }, { "live", false }, { "live", true } };

    [Theory]
    [MemberData(nameof(Beds))]
    public async Task The_pass_after_pushing_a_local_flag_upstream_finds_the_folder_unchanged(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m1", "F");

        var push = await h.SyncAsync();
        var next = await h.SyncAsync();

        Assert.Equal(1, push.Folders.Single(f => f.Folder == "INBOX").FlagsChanged[h.UpIndex]);
        Assert.True(next.Folders.Single(f => f.Folder == "INBOX").Unchanged, "the echo pass listed INBOX:\n" + SyncHarness.Explain(next));
        Assert.Equal(["F"], await SideOps.CopiesAsync(h.Upstream, "INBOX", "m1"));
    }

    [Theory]
    [MemberData(nameof(Beds))]
    public async Task The_pass_after_pulling_an_upstream_flag_finds_the_local_folder_unchanged(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        await SideOps.SetFlagsAsync(await h.OtherUpstreamClientAsync(), "INBOX", "m1", "S");

        var pull = await h.SyncAsync();
        var next = await h.SyncAsync();

        Assert.Equal(1, pull.Folders.Single(f => f.Folder == "INBOX").FlagsChanged[h.LocalIndex]);
        Assert.True(next.Folders.Single(f => f.Folder == "INBOX").Unchanged, "the echo pass listed INBOX:\n" + SyncHarness.Explain(next));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Local, "INBOX", "m1"));
    }

    /// <summary>
    /// Another client changes a flag upstream just before or just after our STORE: on another message, or on the
    /// one we store. Recording the HIGHESTMODSEQ our own STORE reached would hide the change from every later pass.
    /// </summary>
    [Theory]
    [InlineData("memory", false, "before", "m2")]
    [InlineData("memory", true, "before", "m1")]
    [InlineData("memory", false, "after", "m1")]
    [InlineData("memory", true, "after", "m2")]
    [InlineData("live", false, "before", "m2")]
    [InlineData("live", true, "before", "m1")]
    [InlineData("live", false, "after", "m2")]
    [InlineData("live", true, "after", "m1")]
    public async Task A_flag_another_client_sets_while_we_push_still_arrives(string bed, bool swapped, string when, string changed)
    {
        await using var h = await SyncedAsync(bed, swapped);
        var other = await h.OtherUpstreamClientAsync();
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m1", "F");
        // The other client adds \Seen to what the message has at that moment.
        var fired = false;
        Func<Task> race = async () =>
        {
            if (fired)
            {
                return;
            }
            fired = true;
            var uid = await SideOps.UidOfAsync(other, "INBOX", changed);
            Assert.True(await other.StoreFlagsAsync("INBOX", uid, TestMessages.Flags("S"), TestMessages.Flags(""), 0, default));
        };
        if (when == "before")
        {
            h.Upstream.BeforeStore = race;
        }
        else
        {
            h.Upstream.AfterStore = race;
        }

        var push = await h.SyncAsync();
        h.Upstream.BeforeStore = h.Upstream.AfterStore = null;
        await h.SyncToConvergenceAsync();

        Assert.True(fired);
        Assert.True(push.Success, SyncHarness.Explain(push));
        Assert.Equal(changed == "m1" ? ["FS"] : ["F"], await SideOps.CopiesAsync(h.Local, "INBOX", "m1"));
        Assert.Equal(changed == "m2" ? ["S"] : [""], await SideOps.CopiesAsync(h.Local, "INBOX", "m2"));
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [MemberData(nameof(Beds))]
    public async Task The_run_after_a_download_finds_every_folder_unchanged(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        await SideOps.AddAsync(await h.OtherUpstreamClientAsync(), "Archive", "a1", "S");
        await SideOps.AddAsync(h.Local, "Sent", "s1", "S");

        var copy = await h.SyncAsync();
        var next = await h.SyncAsync();

        Assert.True(copy.Success, SyncHarness.Explain(copy));
        Assert.All(next.Folders, f => Assert.True(f.Unchanged, $"{f.Folder} listed again:\n" + SyncHarness.Explain(next)));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Local, "Archive", "a1"));
        Assert.Equal(["S"], await SideOps.CopiesAsync(h.Upstream, "Sent", "s1"));
    }

    [Theory]
    [MemberData(nameof(Beds))]
    public async Task The_run_after_pushing_an_expunge_finds_the_folder_unchanged(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        await SideOps.ExpungeAsync(h.Local, "INBOX", "m2");

        var push = await h.SyncAsync();
        var next = await h.SyncAsync();

        Assert.Equal(1, push.Folders.Single(f => f.Folder == "INBOX").Expunged[h.UpIndex]);
        Assert.True(next.Folders.Single(f => f.Folder == "INBOX").Unchanged, "the echo pass listed INBOX:\n" + SyncHarness.Explain(next));
        Assert.Empty(await SideOps.CopiesAsync(h.Upstream, "INBOX", "m2"));
    }

    [Theory]
    [InlineData("memory", true)]
    [InlineData("live", false)]
    public async Task A_message_another_client_expunges_while_we_push_is_still_expunged_here(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        var other = await h.OtherUpstreamClientAsync();
        await SideOps.ExpungeAsync(h.Local, "INBOX", "m2");
        var fired = false;
        h.Upstream.AfterStore = async () =>
        {
            if (!fired)
            {
                fired = true;
                await SideOps.ExpungeAsync(other, "INBOX", "m3");
            }
        };

        // The engine's expunge stores \Deleted through ExpungeAsync, not StoreFlagsAsync: race with a flag push instead.
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m1", "F");
        await h.SyncAsync();
        h.Upstream.AfterStore = null;
        await h.SyncToConvergenceAsync();

        Assert.True(fired);
        Assert.Empty(await SideOps.CopiesAsync(h.Local, "INBOX", "m3"));
        await h.AssertSidesEqualAsync();
    }

    /// <summary>A message another client appends while we store must arrive too (UIDNEXT moved, the delta shows it).</summary>
    [Theory]
    [InlineData("memory", false)]
    [InlineData("live", true)]
    public async Task A_message_another_client_appends_while_we_push_still_arrives(string bed, bool swapped)
    {
        await using var h = await SyncedAsync(bed, swapped);
        var other = await h.OtherUpstreamClientAsync();
        await SideOps.SetFlagsAsync(h.Local, "INBOX", "m1", "F");
        var fired = false;
        h.Upstream.AfterStore = async () =>
        {
            if (!fired)
            {
                fired = true;
                await SideOps.AddAsync(other, "INBOX", "m4");
            }
        };

        await h.SyncAsync();
        h.Upstream.AfterStore = null;
        await h.SyncToConvergenceAsync();

        Assert.Single(await SideOps.CopiesAsync(h.Local, "INBOX", "m4"));
        await h.AssertSidesEqualAsync();
    }

    private static async Task<SyncHarness> SyncedAsync(string bed, bool swapped)
    {
        var h = bed == "live" ? await SyncHarness.CreateLiveAsync(swapped) : await SyncHarness.CreateAsync(swapped);
        try
        {
            foreach (var name in new[] { "m1", "m2", "m3" })
            {
                await SideOps.AddAsync(h.Upstream, "INBOX", name);
            }
            await h.SyncToConvergenceAsync();
            return h;
        }
        catch
        {
            await h.DisposeAsync();
            throw;
        }
    }
}
