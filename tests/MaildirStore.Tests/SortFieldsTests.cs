using System.Text;
using ImapProxy.Store;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Store.Tests;

/// <summary>
/// SORT and THREAD read their keys from the index (<see cref="MailFolder.GetSortFieldsAsync"/>): kept at ingest,
/// filled in from the files for messages indexed before the table existed, gone with their messages.
/// </summary>
public sealed class SortFieldsTests
{
    private const string Header =
        "Date: Tue, 2 Jan 2024 10:00:00 +0200\r\n" +
        "Subject: =?UTF-8?B?UmU6IGjDqWxsbw==?=\r\n" +
        "Subject: second subject, not used\r\n" +
        "From: \"Ann\" <ann@example.org>, bob@example.org\r\n" +
        "To: undisclosed-recipients:;\r\n" +
        "Message-ID: <one@example.org>\r\n" +
        "In-Reply-To: <zero@example.org>\r\n" +
        "References: <a@example.org> <zero@example.org>\r\n\r\nbody\r\n";

    private static MemoryStream Message(string header) => new(Encoding.UTF8.GetBytes(header));

    private static void AssertHeaderFields(SortFields fields)
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks, fields.SentDateUtcTicks);
        Assert.Equal("Re: héllo", fields.Subject); // the first Subject, decoded
        Assert.Equal("ann", fields.FromMailbox);
        Assert.Equal("undisclosed-recipients", fields.ToMailbox); // a group's name is its first "mailbox"
        Assert.Equal("", fields.CcMailbox);
        Assert.Equal("<one@example.org>", fields.MessageId);
        Assert.Equal("<zero@example.org>", fields.InReplyTo);
        Assert.Equal("<a@example.org> <zero@example.org>", fields.References);
    }

    private static string IndexPath(TempMirror mirror) => Path.Combine(mirror.Root, ".imapproxy-index.sqlite");

    private static async Task<long> ExecuteAsync(TempMirror mirror, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={IndexPath(mirror)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    [Fact]
    public async Task Fields_are_kept_at_append_and_read_without_the_files()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var first = (await inbox.AppendAsync(Message(Header))).Uid;
        var second = (await inbox.AppendAsync(Message("Subject: plain\r\nDate: not a date\r\n\r\nx\r\n"))).Uid;
        foreach (var file in Directory.GetFiles(Path.Combine(mirror.Root, "cur")).Concat(Directory.GetFiles(Path.Combine(mirror.Root, "new"))))
        {
            File.Delete(file); // the watcher is off and nothing rescans: only the index can answer
        }

        var fields = await inbox.GetSortFieldsAsync([first, second], SortFieldParts.All);

        AssertHeaderFields(fields[0]);
        Assert.Null(fields[1].SentDateUtcTicks);
        Assert.Equal("plain", fields[1].Subject);
        Assert.Equal("", fields[1].FromMailbox);
        Assert.Null(fields[1].References);
    }

    [Fact]
    public async Task Only_the_parts_asked_are_read()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var uid = (await inbox.AppendAsync(Message(Header))).Uid;

        var fields = (await inbox.GetSortFieldsAsync([uid], SortFieldParts.Subject | SortFieldParts.Threading))[0];

        Assert.Equal("Re: héllo", fields.Subject);
        Assert.Equal("<one@example.org>", fields.MessageId);
        Assert.Null(fields.SentDateUtcTicks);
        Assert.Equal("", fields.FromMailbox);
    }

    [Fact]
    public async Task An_index_from_before_the_sort_table_fills_it_from_the_files_once()
    {
        await using var mirror = new TempMirror();
        var uids = new List<uint>();
        await using (var store = await mirror.OpenAsync(watch: false))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            uids.Add((await inbox.AppendAsync(Message(Header))).Uid);
            for (int i = 0; i < 30; i++)
            {
                uids.Add((await inbox.AppendAsync(TempMirror.Message($"subject {i}"))).Uid);
            }
        }
        // What an index made before the table looked like.
        await ExecuteAsync(mirror, "DROP TABLE sort_fields; DELETE FROM meta WHERE key='sort_fields'");

        await using (var store = await mirror.OpenAsync(watch: false))
        {
            var inbox = await store.OpenFolderAsync("INBOX");
            Assert.All(await inbox.GetSortFieldsAsync(uids, SortFieldParts.None), f => Assert.Same(SortFields.Empty, f));
            Assert.Equal(0, await ExecuteAsync(mirror, "SELECT count(*) FROM sort_fields")); // ARRIVAL and SIZE read no file
            var some = uids.Where((_, i) => i % 3 == 0).ToList();
            var fields = await inbox.GetSortFieldsAsync(some, SortFieldParts.All);
            AssertHeaderFields(fields[0]);
            Assert.Equal("subject 2", fields[1].Subject);
            Assert.Equal(some.Count, await ExecuteAsync(mirror, "SELECT count(*) FROM sort_fields"));

            var all = await inbox.GetSortFieldsAsync(uids, SortFieldParts.Subject);
            Assert.Equal(uids.Count, await ExecuteAsync(mirror, "SELECT count(*) FROM sort_fields"));
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"subject {i}"), all.Skip(1).Select(f => f.Subject));
        }
    }

    [Fact]
    public async Task Rows_of_another_extraction_version_are_dropped_at_open_and_computed_again()
    {
        await using var mirror = new TempMirror();
        uint uid;
        await using (var store = await mirror.OpenAsync(watch: false))
        {
            uid = (await (await store.OpenFolderAsync("INBOX")).AppendAsync(Message(Header))).Uid;
        }
        await ExecuteAsync(mirror, "UPDATE sort_fields SET subject='stale'; UPDATE meta SET value='0' WHERE key='sort_fields'");

        await using (var store = await mirror.OpenAsync(watch: false))
        {
            Assert.Equal(0, await ExecuteAsync(mirror, "SELECT count(*) FROM sort_fields"));
            AssertHeaderFields((await (await store.OpenFolderAsync("INBOX")).GetSortFieldsAsync([uid], SortFieldParts.All))[0]);
        }
    }

    [Fact]
    public async Task Expunge_drops_the_row_and_copy_carries_it()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        await store.CreateFolderAsync("Other");
        var other = await store.OpenFolderAsync("Other");
        var uid = (await inbox.AppendAsync(Message(Header))).Uid;

        var copy = await inbox.CopyToAsync([uid], other);
        await inbox.StoreFlagsAsync([uid], FlagChangeMode.Add, MessageFlags.Deleted);
        await inbox.ExpungeAsync([uid]);

        Assert.Equal(1, await ExecuteAsync(mirror, "SELECT count(*) FROM sort_fields"));
        foreach (var file in Directory.GetFiles(mirror.Root, "*", SearchOption.AllDirectories).Where(f => f.Contains("/.Other/", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }
        AssertHeaderFields((await other.GetSortFieldsAsync([copy.Pairs[0].TargetUid], SortFieldParts.All))[0]);
    }

    [Fact]
    public async Task A_message_whose_file_has_gone_has_empty_fields()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var uid = (await inbox.AppendAsync(Message(Header))).Uid;
        await ExecuteAsync(mirror, "DELETE FROM sort_fields");
        foreach (var file in Directory.GetFiles(Path.Combine(mirror.Root, "cur")).Concat(Directory.GetFiles(Path.Combine(mirror.Root, "new"))))
        {
            File.Delete(file);
        }

        var fields = await inbox.GetSortFieldsAsync([uid], SortFieldParts.All);

        Assert.Same(SortFields.Empty, fields[0]);
    }
}
