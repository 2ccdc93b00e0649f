using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// The batched copy: bounded batches, one streamed read and one durable commit per batch, one journal intent each,
/// and the replay of a batch cut at its worst moments (files in place but not indexed; tmp/ files left behind).
/// </summary>
public sealed class BatchCopyTests
{
    private static CopyAction Copy(int from, uint uid, long size) =>
        new(from, new MessageIdentity(uid, $"<{uid}@x>", size, DateTimeOffset.UnixEpoch, null), FlagSet.Empty, "new");

    [Fact]
    public void Batches_are_bounded_by_count_and_bytes_and_never_mix_directions()
    {
        var copies = Enumerable.Range(1, 600).Select(i => Copy(0, (uint)i, 1000))
            .Append(Copy(1, 1, 100)).Append(Copy(0, 601, 40L << 20)).Append(Copy(0, 602, 1000))
            .Concat(Enumerable.Range(700, 20).Select(i => Copy(0, (uint)i, 1L << 20)))
            .ToList();

        var batches = BatchCopier.Batches(copies).ToList();

        Assert.All(batches, b => Assert.Single(b.Select(c => c.FromSide).Distinct()));
        Assert.All(batches, b => Assert.True(b.Count <= BatchCopier.MaxMessages));
        Assert.All(batches.Where(b => b.Count > 1), b => Assert.True(b.Sum(c => c.Identity.Size) <= BatchCopier.MaxBytes));
        Assert.Equal(copies.Count, batches.Sum(b => b.Count));
        Assert.Equal([256, 256, 88, 1, 16, 5, 1], batches.Select(b => b.Count));
        Assert.Equal(copies.Where(c => c.FromSide == 0).Select(c => c.Identity.Uid), batches.Where(b => b[0].FromSide == 0).SelectMany(b => b).Select(c => c.Identity.Uid));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_initial_download_reads_and_commits_once_per_batch_and_leaves_no_journal(bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        for (var i = 0; i < 300; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", i % 3 == 0 ? "S" : "");
        }

        var report = await h.SyncToConvergenceAsync();

        Assert.Equal(300, report.Folders.Sum(f => f.Copied[h.LocalIndex]));
        Assert.Equal(2, h.Upstream.CallCount("read"));
        Assert.Equal(2, h.Local.CallCount("commit"));
        Assert.Equal(300, h.Local.CallCount("append"));
        Assert.Empty(await h.State.ReadAsync(tx => tx.GetIntents()));
        Assert.Equal(300, (await h.State.ReadAsync(tx => tx.GetMappings(tx.GetFolders().Single(f => f.Name == "INBOX").Id))).Count);
        await h.AssertSidesEqualAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_cut_between_rename_and_index_is_found_again_not_downloaded_again(bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        for (var i = 0; i < 40; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", i % 2 == 0 ? "S" : "F");
        }
        var inbox = await h.Store!.OpenFolderAsync("INBOX");
        inbox.BatchPlacedHook = () => throw new IOException("killed after the renames, before the index transaction");

        var cut = await h.SyncAsync();

        Assert.False(cut.Success);
        var intent = Assert.Single(await h.State.ReadAsync(tx => tx.GetIntents()));
        Assert.Equal(40, intent.Intent.Items!.Length);
        inbox.BatchPlacedHook = null;
        var reads = h.Upstream.CallCount("read");
        await h.ReopenStateAsync();

        var recovery = await h.SyncAsync();

        Assert.True(recovery.Success, SyncHarness.Explain(recovery));
        Assert.Equal(1, recovery.ReplayedIntents);
        Assert.Contains(recovery.Warnings, w => w.Contains("40 found on local", StringComparison.Ordinal));
        Assert.Equal(reads, h.Upstream.CallCount("read")); // nothing downloaded again
        Assert.Equal(40, (await inbox.SelectAsync()).Messages.Count);
        await h.SyncToConvergenceAsync();
        await h.AssertSidesEqualAsync();
        for (var i = 0; i < 40; i++)
        {
            Assert.Single(await SideOps.CopiesAsync(h.Local, "INBOX", $"m{i}"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replayed_batch_removes_its_tmp_files_and_copies_what_never_arrived(bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        for (var i = 0; i < 12; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}");
        }
        h.Faults.FailAt = h.Faults.Count + 6; // the 6th message handed to the local batch: a crash before it lands
        try
        {
            await h.SyncAsync();
        }
        catch (IOException)
        {
            // Simulated crash.
        }
        Assert.True(h.Faults.Triggered);
        h.Faults.Reset();
        var intent = Assert.Single(await h.State.ReadAsync(tx => tx.GetIntents())).Intent;
        // What a kill -9 leaves (the simulated crash still ran the batch's cleanup): part-written files under its token.
        var tmp = Path.Combine(h.Store!.RootPath, "tmp");
        await File.WriteAllTextAsync(Path.Combine(tmp, intent.Token + ".0"), "Subject: half a mess");
        await File.WriteAllTextAsync(Path.Combine(tmp, intent.Token + ".1"), "");
        await h.ReopenStateAsync();

        var recovery = await h.SyncAsync();

        Assert.True(recovery.Success, SyncHarness.Explain(recovery));
        Assert.Empty(Directory.GetFiles(tmp));
        Assert.Contains(recovery.Warnings, w => w.Contains("0 found on local and mapped, 12 to copy again", StringComparison.Ordinal));
        await h.SyncToConvergenceAsync();
        await h.AssertSidesEqualAsync();
        Assert.Equal(12, (await h.Local.ListMessagesAsync("INBOX", 0, default)).Messages.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_committed_but_not_recorded_is_mapped_by_the_replay(bool swapped)
    {
        await using var h = await SyncHarness.CreateWithMaildirAsync(swapped);
        for (var i = 0; i < 30; i++)
        {
            await SideOps.AddAsync(h.Upstream, "INBOX", $"m{i}", "S");
        }
        h.Faults.FailAt = h.Faults.Count + 31; // 30 appends, then the commit: it takes effect, the reply is lost
        h.Faults.AfterEffect = true;
        try
        {
            await h.SyncAsync();
        }
        catch (IOException)
        {
            // Simulated crash.
        }
        Assert.True(h.Faults.Triggered);
        h.Faults.Reset();
        var reads = h.Upstream.CallCount("read");
        await h.ReopenStateAsync();

        var recovery = await h.SyncAsync();

        Assert.True(recovery.Success, SyncHarness.Explain(recovery));
        Assert.Contains(recovery.Warnings, w => w.Contains("30 found on local and mapped", StringComparison.Ordinal));
        Assert.Equal(reads, h.Upstream.CallCount("read"));
        await h.SyncToConvergenceAsync();
        await h.AssertSidesEqualAsync();
        Assert.Equal(30, (await h.Local.ListMessagesAsync("INBOX", 0, default)).Messages.Count);
    }
}
