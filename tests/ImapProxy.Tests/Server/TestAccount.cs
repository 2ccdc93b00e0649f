using ImapProxy.Server;
using ImapProxy.Store;

namespace ImapProxy.Tests.Server;

/// <summary>A real Maildir mirror in a temp directory with one local user ("user" / "secret").</summary>
internal sealed class TestAccount : IAsyncDisposable
{
    public const string User = "user";
    public const string Password = "secret";

    private TestAccount(string root, AccountStore store)
    {
        Root = root;
        Store = store;
        Resolver = new StaticAccountResolver([(User, Password, store)]);
    }

    public string Root { get; }

    public AccountStore Store { get; }

    public IAccountResolver Resolver { get; }

    public static async Task<TestAccount> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("imapproxy-server-").FullName;
        var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = false });
        return new TestAccount(root, store);
    }

    public async Task<uint> AppendAsync(string folder, string message, MessageFlags flags = MessageFlags.None, DateTimeOffset? date = null)
    {
        var target = await Store.OpenFolderAsync(folder, CancellationToken.None);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message.Replace("\n", "\r\n")));
        var result = await target.AppendAsync(stream, flags, null, date ?? new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return result.Uid;
    }

    /// <summary>
    /// The mirror every transcript starts from: INBOX with three messages (UIDs 1–3; the first \Seen, the third
    /// multipart), and an empty folder "Work". An earlier session has already seen them, so they are not \Recent
    /// (recent.txt plays what arrives later).
    /// </summary>
    public async Task SeedStandardAsync()
    {
        await Store.CreateFolderAsync("Work", CancellationToken.None);
        await AppendAsync("INBOX", """
            From: Alice <alice@example.org>
            To: Bob <bob@example.org>
            Subject: Hello one
            Date: Mon, 1 Jan 2024 10:00:00 +0000
            Message-ID: <one@example.org>

            First body, apple.
            """ + "\n", MessageFlags.Seen, new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero));
        await AppendAsync("INBOX", """
            From: Carol <carol@example.org>
            To: Bob <bob@example.org>
            Subject: Second =?UTF-8?Q?caf=C3=A9?=
            Date: Tue, 2 Jan 2024 11:00:00 +0000
            Message-ID: <two@example.org>

            Second body, banana.
            """ + "\n", MessageFlags.None, new DateTimeOffset(2024, 1, 2, 11, 0, 0, TimeSpan.Zero));
        await AppendAsync("INBOX", """
            From: Alice <alice@example.org>
            To: Bob <bob@example.org>
            Subject: Third
            Date: Wed, 3 Jan 2024 12:00:00 +0000
            Message-ID: <three@example.org>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="XX"

            --XX
            Content-Type: text/plain; charset=us-ascii

            Part one, cherry.
            --XX
            Content-Type: text/html; charset=us-ascii

            <p>Part two</p>
            --XX--
            """ + "\n", MessageFlags.None, new DateTimeOffset(2024, 1, 3, 12, 0, 0, TimeSpan.Zero));
        var inbox = await Store.OpenFolderAsync("INBOX", CancellationToken.None);
        inbox.ClaimRecent((await inbox.GetStatusAsync()).UidNext - 1);
        await inbox.SaveRecentAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
