using ImapProxy.Upstream.Sync;
using System.Security.Cryptography;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>
/// Test manipulations and observations through <see cref="IMailSide"/> only, so the same scenarios run against the
/// in-memory side today and against Dovecot and the Maildir store later.
/// </summary>
internal static class SideOps
{
    public static async Task EnsureFolderAsync(IMailSide side, string folder)
    {
        var folders = await side.ListFoldersAsync(default);
        if (folders.All(f => f.Name != folder))
        {
            await side.CreateFolderAsync(folder, default);
        }
    }

    public static async Task AddAsync(IMailSide side, string folder, string name, string flags = "", bool withMessageId = true)
    {
        await EnsureFolderAsync(side, folder);
        var content = TestMessages.Make(name, withMessageId);
        await side.AppendAsync(folder, new MemoryStream(content), content.Length, TestMessages.Flags(flags),
            new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), default);
    }

    public static async Task<uint> UidOfAsync(IMailSide side, string folder, string name)
    {
        var listing = await side.ListMessagesAsync(folder, 0, default);
        var identities = await side.FetchIdentitiesAsync(folder, listing.Messages.Select(m => m.Uid).ToList(), default);
        var matches = identities.Where(i => i.MessageId == TestMessages.MessageId(name)).ToList();
        Assert.True(matches.Count == 1, $"{side.Name}/{folder}: expected one {name}, found {matches.Count}");
        return matches[0].Uid;
    }

    public static async Task SetFlagsAsync(IMailSide side, string folder, string name, string flags)
    {
        var uid = await UidOfAsync(side, folder, name);
        var listing = await side.ListMessagesAsync(folder, 0, default);
        var current = listing.Messages.Single(m => m.Uid == uid).Flags;
        var target = TestMessages.Flags(flags);
        Assert.True(await side.StoreFlagsAsync(folder, uid, target.Except(current), current.Except(target), 0, default));
    }

    public static async Task ExpungeAsync(IMailSide side, string folder, string name) =>
        await side.ExpungeAsync(folder, [await UidOfAsync(side, folder, name)], default);

    public static async Task MoveAsync(IMailSide side, string from, string name, string to)
    {
        await EnsureFolderAsync(side, to);
        var uid = await UidOfAsync(side, from, name);
        if ((side.Capabilities & SideCapabilities.Move) != 0)
        {
            await side.MoveAsync(from, [uid], to, default);
            return;
        }
        // What a client does without MOVE: copy, then expunge the original.
        var listing = await side.ListMessagesAsync(from, 0, default);
        var identity = (await side.FetchIdentitiesAsync(from, [uid], default)).Single();
        await using (var content = (await side.OpenMessageAsync(from, uid, default))!)
        {
            await side.AppendAsync(to, content, identity.Size, listing.Messages.Single(m => m.Uid == uid).Flags, identity.InternalDate, default);
        }
        await side.ExpungeAsync(from, [uid], default);
    }

    /// <summary>Every folder's messages as sorted "Message-ID flags sha" strings (UIDs left out: they differ per side).</summary>
    public static async Task<SortedDictionary<string, List<string>>> SnapshotAsync(IMailSide side)
    {
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var folder in await side.ListFoldersAsync(default))
        {
            var listing = await side.ListMessagesAsync(folder.Name, 0, default);
            var identities = (await side.FetchIdentitiesAsync(folder.Name, listing.Messages.Select(m => m.Uid).ToList(), default))
                .ToDictionary(i => i.Uid);
            var entries = new List<string>();
            foreach (var m in listing.Messages)
            {
                await using var stream = (await side.OpenMessageAsync(folder.Name, m.Uid, default))!;
                var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream))[..12];
                entries.Add($"{identities[m.Uid].MessageId} [{TestMessages.Short(m.Flags)}] {hash}");
            }
            entries.Sort(StringComparer.Ordinal);
            result[folder.Name] = entries;
        }
        return result;
    }

    public static string Describe(SortedDictionary<string, List<string>> snapshot) =>
        string.Join("\n", snapshot.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}"));

    /// <summary>The flags (short form) of each copy of a message in a folder; empty when absent.</summary>
    public static async Task<List<string>> CopiesAsync(IMailSide side, string folder, string name)
    {
        var folders = await side.ListFoldersAsync(default);
        if (folders.All(f => f.Name != folder))
        {
            return [];
        }
        var listing = await side.ListMessagesAsync(folder, 0, default);
        var identities = (await side.FetchIdentitiesAsync(folder, listing.Messages.Select(m => m.Uid).ToList(), default))
            .ToDictionary(i => i.Uid);
        return listing.Messages.Where(m => identities[m.Uid].MessageId == TestMessages.MessageId(name))
            .Select(m => TestMessages.Short(m.Flags)).ToList();
    }
}
