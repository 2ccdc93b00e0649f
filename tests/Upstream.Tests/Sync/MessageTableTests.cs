namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// mbsync-style tables: each row is one message's state upstream, in the sync state (the base) and in the local
/// mirror, with the expected state of both sides after a sync. "-" is absent (for the base: never synced); flags in
/// short form (S=\Seen F=\Flagged A=\Answered D=\Deleted k=$Label1). Every row runs with the sides in both orders
/// and with all capabilities as well as none (no CONDSTORE, no UIDPLUS, no MOVE).
/// </summary>
public sealed class MessageTableTests
{
    private const string Folder = "INBOX";
    private const string Absent = MessageTable.Absent;

    public static readonly string[][] Table = MessageTable.Rows;

    public static IEnumerable<object[]> Rows()
    {
        foreach (var row in Table)
        {
            foreach (var swapped in new[] { false, true })
            {
                foreach (var full in new[] { true, false })
                {
                    yield return [row[0], row[1], row[2], row[3], row[4], swapped, full];
                }
            }
        }
    }

    public static IEnumerable<object[]> MaildirRows() =>
        Table.SelectMany(row => new[] { false, true }.Select(swapped => new object[] { row[0], row[1], row[2], row[3], row[4], swapped }));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row(string upstream, string baseFlags, string local, string expectUpstream, string expectLocal, bool swapped, bool full)
    {
        var caps = full ? SyncHarness.Full : SideCapabilities.None;
        await using var h = await SyncHarness.CreateAsync(swapped, caps, caps);
        await RunRowAsync(h, upstream, baseFlags, local, expectUpstream, expectLocal);
    }

    /// <summary>The same table with the local side a real Maildir store (through <c>MaildirMailSide</c>).</summary>
    [Theory]
    [MemberData(nameof(MaildirRows))]
    public async Task RowOnMaildir(string upstream, string baseFlags, string local, string expectUpstream, string expectLocal, bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        await RunRowAsync(h, upstream, baseFlags, local, expectUpstream, expectLocal);
    }

    private static async Task RunRowAsync(SyncHarness h, string upstream, string baseFlags, string local, string expectUpstream, string expectLocal)
    {
        await SideOps.EnsureFolderAsync(h.Upstream, Folder);
        await SideOps.EnsureFolderAsync(h.Local, Folder);
        await SideOps.AddAsync(h.Upstream, Folder, "other"); // keeps the folders from ever being empty
        if (baseFlags != Absent)
        {
            await SideOps.AddAsync(h.Upstream, Folder, "m", baseFlags);
            await h.SyncToConvergenceAsync();
            Assert.Equal([baseFlags], await SideOps.CopiesAsync(h.Local, Folder, "m"));
            await ApplyAsync(h.Upstream, upstream);
            await ApplyAsync(h.Local, local);
        }
        else
        {
            if (upstream != Absent)
            {
                await SideOps.AddAsync(h.Upstream, Folder, "m", upstream);
            }
            if (local != Absent)
            {
                await SideOps.AddAsync(h.Local, Folder, "m", local);
            }
        }

        await h.SyncToConvergenceAsync();

        Assert.Equal(Expected(expectUpstream), await SideOps.CopiesAsync(h.Upstream, Folder, "m"));
        Assert.Equal(Expected(expectLocal), await SideOps.CopiesAsync(h.Local, Folder, "m"));
        await h.AssertSidesEqualAsync();
    }

    private static List<string> Expected(string flags) => MessageTable.Expected(flags);

    private static async Task ApplyAsync(IMailSide side, string flags)
    {
        if (flags == Absent)
        {
            await SideOps.ExpungeAsync(side, Folder, "m");
        }
        else
        {
            await SideOps.SetFlagsAsync(side, Folder, "m", flags);
        }
    }
}
