using ImapProxy.Store;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>Puts corpus messages into a mirror: INBOX, a folder and a nested folder, with a few flags.</summary>
internal static class MirrorSeed
{
    public static async Task<IReadOnlyList<(string Folder, int Count)>> FillAsync(AccountStore store, int perFolder = 40)
    {
        var layout = new (string Folder, int Offset)[] { ("INBOX", 0), ("Lists", perFolder), ("Lists/Nested", 2 * perFolder) };
        foreach (var (folder, offset) in layout)
        {
            if (folder != "INBOX")
            {
                await store.CreateFolderAsync(folder, CancellationToken.None);
            }
            var target = await store.OpenFolderAsync(folder, CancellationToken.None);
            for (int i = 0; i < perFolder; i++)
            {
                var bytes = await Corpus.ReadAsync(offset + i);
                using var stream = new MemoryStream(bytes);
                await target.AppendAsync(stream, i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None);
            }
        }
        return layout.Select(l => (l.Folder, perFolder)).ToList();
    }
}
