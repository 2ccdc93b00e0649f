using ImapProxy.Store;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// The local Maildir mirror seen and changed the way a local writer would: through <see cref="AccountStore"/>,
/// without the sync engine. Its snapshot reads every message file and cross-checks the files on disk against the
/// index, so a half-written or stray file shows up.
/// </summary>
internal static class LocalMirror
{
    private static readonly (MessageFlags Flag, string Name)[] SystemFlags =
    [
        (MessageFlags.Seen, @"\Seen"), (MessageFlags.Answered, @"\Answered"), (MessageFlags.Flagged, @"\Flagged"),
        (MessageFlags.Deleted, @"\Deleted"), (MessageFlags.Draft, @"\Draft"),
    ];

    public static (MessageFlags System, string[] Keywords) Split(string flags)
    {
        var system = MessageFlags.None;
        var keywords = new List<string>();
        foreach (var flag in flags.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var known = SystemFlags.FirstOrDefault(f => f.Name.Equals(flag, StringComparison.OrdinalIgnoreCase));
            if (known.Name is not null)
            {
                system |= known.Flag;
            }
            else
            {
                keywords.Add(flag);
            }
        }
        return (system, keywords.ToArray());
    }

    public static string Join(MessageFlags system, IEnumerable<string> keywords) =>
        MailFlags.Canonical(SystemFlags.Where(f => system.HasFlag(f.Flag)).Select(f => f.Name).Concat(keywords));

    public static async Task AppendAsync(AccountStore store, string folder, byte[] message, string flags)
    {
        if (!store.FolderExists(folder))
        {
            await store.CreateFolderAsync(folder);
        }
        var (system, keywords) = Split(flags);
        await (await store.OpenFolderAsync(folder)).AppendAsync(new MemoryStream(message), system, keywords);
    }

    public static async Task<uint> UidOfAsync(AccountStore store, string folder, string messageId)
    {
        var mailFolder = await store.OpenFolderAsync(folder);
        var found = new List<uint>();
        foreach (var m in (await mailFolder.SelectAsync()).Messages)
        {
            if ((await mailFolder.GetDetailsAsync(m.Uid)).MessageId?.Trim() == messageId)
            {
                found.Add(m.Uid);
            }
        }
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"local {folder}: {found.Count} × {messageId}");
    }

    public static async Task SetFlagsAsync(AccountStore store, string folder, string messageId, string flags)
    {
        var uid = await UidOfAsync(store, folder, messageId);
        var (system, keywords) = Split(flags);
        await (await store.OpenFolderAsync(folder)).StoreFlagsAsync([uid], FlagChangeMode.Replace, system, keywords);
    }

    public static async Task ExpungeAsync(AccountStore store, string folder, string messageId)
    {
        var uid = await UidOfAsync(store, folder, messageId);
        var mailFolder = await store.OpenFolderAsync(folder);
        await mailFolder.StoreFlagsAsync([uid], FlagChangeMode.Add, MessageFlags.Deleted);
        await mailFolder.ExpungeAsync([uid]);
    }

    public static async Task MoveAsync(AccountStore store, string from, string messageId, string to)
    {
        if (!store.FolderExists(to))
        {
            await store.CreateFolderAsync(to);
        }
        var uid = await UidOfAsync(store, from, messageId);
        await (await store.OpenFolderAsync(from)).MoveToAsync([uid], await store.OpenFolderAsync(to));
    }

    /// <summary>Every folder's messages, read from their files; fails when files on disk and the index disagree.</summary>
    public static async Task<MailSnapshot> SnapshotAsync(string root)
    {
        await using var store = await AccountStore.OpenAsync(root);
        var snapshot = new MailSnapshot();
        foreach (var folder in await store.ListFoldersAsync())
        {
            if (!folder.Selectable)
            {
                continue;
            }
            snapshot.AddFolder(folder.Name);
            var mailFolder = await store.OpenFolderAsync(folder.Name);
            var messages = (await mailFolder.SelectAsync()).Messages;
            foreach (var m in messages)
            {
                await using var stream = await mailFolder.OpenMessageAsync(m.Uid);
                var body = new MemoryStream();
                await stream.CopyToAsync(body);
                snapshot.Add(folder.Name, body.ToArray(), Join(m.Flags, m.Keywords));
            }
            var files = new[] { "cur", "new" }.Sum(d => Directory.GetFiles(Path.Combine(mailFolder.Path, d)).Length);
            if (files != messages.Count)
            {
                snapshot.AddFolder($"{folder.Name} (!! {files} files on disk for {messages.Count} indexed messages)");
            }
        }
        return snapshot;
    }
}
