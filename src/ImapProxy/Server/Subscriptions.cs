using System.Collections.Concurrent;
using System.Text;
using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>
/// SUBSCRIBE/UNSUBSCRIBE state per mirror, in <c>.imapproxy-subscriptions</c> at its root (one name per line).
/// Until a client changes it, every folder counts as subscribed: the mirror holds only folders the user syncs.
/// </summary>
internal static class Subscriptions
{
    private const string FileName = ".imapproxy-subscriptions";
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new();

    public static async Task<IReadOnlyCollection<string>> GetAsync(AccountStore account, CancellationToken cancellationToken)
    {
        var path = Path.Combine(account.RootPath, FileName);
        if (!File.Exists(path))
        {
            var folders = await account.ListFoldersAsync(cancellationToken).ConfigureAwait(false);
            return folders.Select(f => f.Name).ToList();
        }
        var lines = await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return lines.Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task SetAsync(AccountStore account, string name, bool subscribed, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd(account.RootPath, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = new SortedSet<string>(await GetAsync(account, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
            if (!(subscribed ? current.Add(name) : current.Remove(name)))
            {
                return;
            }
            var path = Path.Combine(account.RootPath, FileName);
            var temporary = path + ".tmp";
            await File.WriteAllLinesAsync(temporary, current, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            gate.Release();
        }
    }
}
