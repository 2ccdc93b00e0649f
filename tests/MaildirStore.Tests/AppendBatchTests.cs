using System.Text;
using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>
/// <see cref="AppendBatch"/>: many appends with one durable point. The order that matters: files durable in tmp/,
/// then renamed into place, then indexed; a crash between any two steps loses nothing and leaves no partial message.
/// </summary>
public sealed class AppendBatchTests
{
    private static readonly DateTimeOffset Date = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static async Task<int> AddAsync(AppendBatch batch, string subject, MessageFlags flags = MessageFlags.None, string[]? keywords = null)
    {
        var stream = batch.StartMessage();
        await using (var source = TempMirror.Message(subject))
        {
            await source.CopyToAsync(stream);
        }
        return await batch.AddAsync(stream, flags, keywords, Date);
    }

    [Fact]
    public async Task Commit_records_every_message_in_order_with_flags_keywords_date_and_parsed_envelope()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var folder = await store.OpenFolderAsync("INBOX");
        await using var batch = folder.BeginAppendBatch();
        for (int i = 0; i < 20; i++)
            Assert.Equal(i, await AddAsync(batch, $"m{i}", i % 2 == 0 ? MessageFlags.None : MessageFlags.Seen, i == 3 ? ["$Label1"] : null));

        var results = await batch.CommitAsync();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), results.Select(r => r.Uid));
        var snapshot = await folder.SelectAsync();
        Assert.Equal(20, snapshot.Messages.Count);
        Assert.Equal(MessageFlags.Seen, snapshot.Messages[1].Flags);
        Assert.Equal(["$Label1"], snapshot.Messages[3].Keywords);
        Assert.All(snapshot.Messages, m => Assert.Equal(Date, m.InternalDate));
        Assert.Equal(10, TempMirror.Files(Path.Combine(mirror.Root, "new")).Length);
        Assert.Equal(10, TempMirror.Files(Path.Combine(mirror.Root, "cur")).Length);
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "tmp")));
        var details = await folder.GetDetailsAsync(results[7].Uid);
        Assert.Contains("m7", Encoding.UTF8.GetString(details.Envelope!));
        var found = await folder.FindMessageAsync(results[5].Uid);
        Assert.Equal(results[5].BaseName, found!.Value.BaseName);
        await using var body = await folder.OpenMessageAsync(results[0].Uid);
        Assert.Contains("Subject: m0", await new StreamReader(body).ReadToEndAsync());
    }

    [Fact]
    public async Task Size_is_counted_with_crlf_line_ends()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var folder = await store.OpenFolderAsync("INBOX");
        await using var batch = folder.BeginAppendBatch();
        var stream = batch.StartMessage();
        await stream.WriteAsync("Subject: x\n\nbody\n"u8.ToArray());
        await batch.AddAsync(stream, MessageFlags.None, null, Date);
        var results = await batch.CommitAsync();
        Assert.Equal(20, (await folder.SelectAsync()).Messages.Single(m => m.Uid == results[0].Uid).Size);
    }

    [Fact]
    public async Task Disposing_without_commit_leaves_nothing_behind()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var folder = await store.OpenFolderAsync("INBOX");
        await using (var batch = folder.BeginAppendBatch())
        {
            for (int i = 0; i < 5; i++) await AddAsync(batch, $"m{i}");
            Assert.Equal(5, TempMirror.Files(Path.Combine(mirror.Root, "tmp")).Length);
        }
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "tmp")));
        Assert.Empty((await folder.SelectAsync()).Messages);
    }

    [Fact]
    public async Task A_crashed_batchs_tmp_files_are_discarded_by_token_and_nothing_else_is()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var folder = await store.OpenFolderAsync("INBOX");
        var other = Path.Combine(mirror.Root, "tmp", "another-writer.123");
        await File.WriteAllTextAsync(other, "in progress");
        var batch = folder.BeginAppendBatch(); // never committed nor disposed: the process "died"
        for (int i = 0; i < 3; i++) await AddAsync(batch, $"m{i}");

        folder.DiscardBatchFiles("../../etc");
        folder.DiscardBatchFiles("ipb0000000000000000");
        Assert.Equal(4, TempMirror.Files(Path.Combine(mirror.Root, "tmp")).Length);
        folder.DiscardBatchFiles(batch.Token);

        Assert.Equal(["another-writer.123"], TempMirror.Files(Path.Combine(mirror.Root, "tmp")));
        Assert.Empty((await folder.SelectAsync()).Messages);
    }

    [Fact]
    public async Task A_crash_between_rename_and_index_leaves_whole_messages_that_the_next_open_adopts_once()
    {
        await using var mirror = new TempMirror();
        await using (var store = await mirror.OpenAsync())
        {
            var folder = await store.OpenFolderAsync("INBOX");
            await using var batch = folder.BeginAppendBatch();
            for (int i = 0; i < 6; i++) await AddAsync(batch, $"m{i}", i < 3 ? MessageFlags.None : MessageFlags.Seen | MessageFlags.Flagged);
            folder.BatchPlacedHook = () => throw new IOException("simulated crash after rename, before the index");
            await Assert.ThrowsAsync<IOException>(() => batch.CommitAsync());
            Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "tmp")));
        }
        await using var reopened = await mirror.OpenAsync();
        var again = await reopened.OpenFolderAsync("INBOX");
        var messages = (await again.SelectAsync()).Messages;
        Assert.Equal(6, messages.Count);
        Assert.Equal(3, messages.Count(m => m.Flags == (MessageFlags.Seen | MessageFlags.Flagged)));
        Assert.All(messages, m => Assert.Equal(Date, m.InternalDate));
        var subjects = new List<string>();
        foreach (var m in messages)
        {
            await using var body = await again.OpenMessageAsync(m.Uid);
            subjects.Add((await new StreamReader(body).ReadToEndAsync()).Split('\n')[2]);
        }
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"Subject: m{i}").Order(), subjects.Order());
    }

    [Fact]
    public async Task The_same_process_rescans_after_a_failed_index_step()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync();
        var folder = await store.OpenFolderAsync("INBOX");
        var batch = folder.BeginAppendBatch();
        for (int i = 0; i < 4; i++) await AddAsync(batch, $"m{i}");
        folder.BatchPlacedHook = () => throw new IOException("index step failed");
        await Assert.ThrowsAsync<IOException>(() => batch.CommitAsync());
        folder.BatchPlacedHook = null;
        await batch.DisposeAsync();

        Assert.Equal(4, (await folder.SelectAsync()).Messages.Count);
    }
}
