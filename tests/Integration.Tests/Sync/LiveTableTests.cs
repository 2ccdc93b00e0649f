using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Tests.Sync;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// The engine's message table (<see cref="MessageTable"/>) against a real Dovecot and a real Maildir mirror, through
/// <c>AccountSynchronizer</c>: every row at once, each in its own folder, with all capabilities and with CONDSTORE,
/// QRESYNC, UIDPLUS, MOVE and LIST-STATUS hidden.
/// </summary>
public sealed class LiveTableTests
{
    private const string Absent = MessageTable.Absent;

    private static string FolderOf(int row) => $"Row{row:00}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_row_of_the_message_table(bool hideExtensions)
    {
        await using var bed = await SyncBed.StartAsync(hideExtensions ? ["CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LIST-STATUS"] : null);
        var rows = MessageTable.Rows;

        // The folders, each with a message that never changes (so none is ever empty), synced.
        await bed.UpstreamAsync(async side =>
        {
            for (var i = 0; i < rows.Length; i++)
            {
                await SideOps.AddAsync(side, FolderOf(i), "other");
            }
            return true;
        });
        await bed.SyncToConvergenceAsync();

        // The base: rows whose message was synced before.
        await bed.UpstreamAsync(async side =>
        {
            for (var i = 0; i < rows.Length; i++)
            {
                if (rows[i][1] != Absent)
                {
                    await SideOps.AddAsync(side, FolderOf(i), "m", rows[i][1]);
                }
            }
            return true;
        });
        await bed.SyncToConvergenceAsync();

        // Each side's own state.
        await bed.UpstreamAsync(side => ApplyAsync(side, rows, column: 0));
        await bed.LocalAsync((side, _) => ApplyAsync(side, rows, column: 2));

        await bed.SyncToConvergenceAsync();

        var failures = new List<string>();
        var upstream = await bed.UpstreamAsync(side => CopiesAsync(side, rows.Length));
        var local = await bed.LocalAsync((side, _) => CopiesAsync(side, rows.Length));
        for (var i = 0; i < rows.Length; i++)
        {
            var (expectUp, expectLocal) = (MessageTable.Expected(rows[i][3]), MessageTable.Expected(rows[i][4]));
            if (!expectUp.SequenceEqual(upstream[i]) || !expectLocal.SequenceEqual(local[i]))
            {
                failures.Add($"row {i} [{string.Join(' ', rows[i])}]: upstream [{string.Join(',', upstream[i])}] local [{string.Join(',', local[i])}]");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await bed.AssertSidesEqualAsync();
    }

    private static async Task<bool> ApplyAsync(IMailSide side, string[][] rows, int column)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var (state, baseFlags) = (rows[i][column], rows[i][1]);
            if (baseFlags == Absent)
            {
                if (state != Absent)
                {
                    await SideOps.AddAsync(side, FolderOf(i), "m", state);
                }
            }
            else if (state == Absent)
            {
                await SideOps.ExpungeAsync(side, FolderOf(i), "m");
            }
            else if (state != baseFlags)
            {
                await SideOps.SetFlagsAsync(side, FolderOf(i), "m", state);
            }
        }
        return true;
    }

    private static async Task<List<string>[]> CopiesAsync(IMailSide side, int count)
    {
        var copies = new List<string>[count];
        for (var i = 0; i < count; i++)
        {
            copies[i] = await SideOps.CopiesAsync(side, FolderOf(i), "m");
        }
        return copies;
    }
}
