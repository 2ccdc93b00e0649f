using ImapProxy.Configuration;
using ImapProxy.Sync;
using ImapProxy.Store;
using ImapProxy.Upstream.Sync;
using ImapProxy.Upstream.Sync.Adapters;
using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Status;

/// <summary>
/// Gathers an account's status from its sync state and its mirror's index, both read-only, so it works while
/// <c>serve</c> or <c>sync</c> runs and never contacts the upstream.
/// </summary>
internal static class AccountStatusReader
{
    public static async Task<AccountStatus> ReadAsync(ProxyConfig config, AccountConfig account, CancellationToken cancellationToken)
    {
        var paths = AccountPaths.For(config, account);
        // The Maildir is listed too: flags changed in mutt, or messages deleted or dropped in while no serve watched
        // it, are waiting to be pushed just the same.
        var indexed = await StoreIndexReader.ReadAsync(paths.IndexPath, paths.MaildirPath,
            paths.StoreOptions.Layout, cancellationToken).ConfigureAwait(false);
        var local = (indexed ?? []).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var upstream = $"{account.User} at {account.Host}:{account.Port}";

        await using var state = await SyncStateStore.OpenReadOnlyAsync(paths.StatePath, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            var unsynced = local.Values.Select(f => Line(f.Name, f, null, [], 0, null)).ToList();
            return new AccountStatus(account.Name, upstream, HasState: false, indexed is not null, null, unsynced, 0);
        }
        var (pairs, mappings, intents, runs) = await state.ReadAsync(tx =>
        {
            var folders = tx.GetFolders();
            return (folders, folders.ToDictionary(p => p.Id, p => tx.GetMappings(p.Id)), tx.GetIntents(), tx.GetRunLog());
        }, cancellationToken).ConfigureAwait(false);

        var intentsByFolder = intents.GroupBy(i => i.FolderId).ToDictionary(g => g.Key, g => g.Count());
        var lines = new List<FolderStatusLine>();
        foreach (var pair in pairs)
        {
            lines.Add(Line(pair.Name, local.GetValueOrDefault(pair.Name), pair, mappings[pair.Id],
                intentsByFolder.GetValueOrDefault(pair.Id), runs.GetValueOrDefault(pair.Name)));
        }
        var known = pairs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(local.Values.Where(f => !known.Contains(f.Name)).Select(f => Line(f.Name, f, null, [], 0, runs.GetValueOrDefault(f.Name))));
        lines.Sort((a, b) => FolderOrder(a.Name, b.Name));
        var otherIntents = intents.Count(i => !mappings.ContainsKey(i.FolderId));
        return new AccountStatus(account.Name, upstream, HasState: true, indexed is not null,
            runs.GetValueOrDefault(RunLogEntry.AccountKey), lines, otherIntents);
    }

    /// <summary>INBOX first, then by name.</summary>
    private static int FolderOrder(string a, string b) =>
        (a == "INBOX", b == "INBOX") switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };

    private static FolderStatusLine Line(string name, IndexedFolder? local, FolderPairState? pair,
        IReadOnlyList<MappedMessage> mappings, int intents, RunLogEntry? run)
    {
        var newLocal = local?.UnindexedFiles ?? 0;
        var flagChanges = 0;
        var expunges = 0;
        if (local is not null)
        {
            var mappedLocal = new Dictionary<uint, MappedMessage>(mappings.Count);
            foreach (var m in mappings)
            {
                mappedLocal[m.Uid1] = m;
            }
            var present = new HashSet<uint>();
            foreach (var message in local.Messages)
            {
                present.Add(message.Uid);
                if (!mappedLocal.TryGetValue(message.Uid, out var mapped))
                {
                    newLocal++;
                }
                else if (mapped.BaseFlags is { } baseFlags
                         && !MaildirMailSide.ToFlagSet(message.Flags, message.Keywords).Equals(baseFlags))
                {
                    flagChanges++;
                }
            }
            expunges = mappings.Count(m => !present.Contains(m.Uid1));
        }
        return new FolderStatusLine(name, local?.Status.Messages, pair?.Side0?.MessageCount, newLocal, flagChanges, expunges,
            intents, run?.LastSuccess, run?.LastError, pair?.StoppedReason);
    }

}
