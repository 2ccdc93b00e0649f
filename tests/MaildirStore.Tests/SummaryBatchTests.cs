using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>FETCH's batch path: a UID range of cached summaries in one query gives what GetDetailsAsync gives per message.</summary>
public sealed class SummaryBatchTests
{
    [Fact]
    public async Task A_uid_range_loads_the_same_summaries_as_one_by_one_and_only_the_parts_asked()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var uids = new List<uint>();
        for (int i = 0; i < 40; i++)
        {
            uids.Add((await inbox.AppendAsync(TempMirror.Message($"subject {i}", $"body {i}\n"))).Uid);
        }
        await inbox.StoreFlagsAsync([uids[10], uids[11]], FlagChangeMode.Add, MessageFlags.Deleted);
        Assert.Equal([uids[10]], await inbox.ExpungeAsync([uids[10]])); // a hole in the range: its cache row is gone; 11 stays

        using var batch = new MessageSummaryBatch();
        await inbox.LoadSummariesAsync(uids[5], uids[30], SummaryParts.Envelope | SummaryParts.BodyStructure, batch);

        Assert.Equal(25, batch.Count);
        Assert.False(batch.TryFind(uids[10], out _));
        Assert.False(batch.TryFind(uids[4], out _));
        Assert.False(batch.TryFind(uids[31], out _));
        for (int i = 5; i <= 30; i++)
        {
            if (i == 10)
            {
                continue;
            }
            Assert.True(batch.TryFind(uids[i], out int at));
            var one = await inbox.GetDetailsAsync(uids[i]);
            Assert.Equal(one.Envelope, batch.Envelope(at).ToArray());
            Assert.Equal(one.BodyStructure, batch.BodyStructure(at).ToArray());
            Assert.True(batch.Has(at, SummaryParts.Envelope | SummaryParts.BodyStructure));
            Assert.False(batch.Has(at, SummaryParts.Body)); // not asked for, so not read
            Assert.True(batch.Body(at).IsEmpty);
        }

        // The buffer is reused: a second, smaller load replaces the first.
        await inbox.LoadSummariesAsync(uids[0], uids[1], SummaryParts.Body, batch);
        Assert.Equal(2, batch.Count);
        Assert.True(batch.TryFind(uids[1], out int second));
        Assert.Equal((await inbox.GetDetailsAsync(uids[1])).Body, batch.Body(second).ToArray());
        Assert.False(batch.TryFind(uids[5], out _));
    }
}
