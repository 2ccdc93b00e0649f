using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Copies messages between sides, streaming the body, and records each copy's mapping. Without a UID from the
/// append (no UIDPLUS), the copy is found by Message-ID and size among UIDs at or above the UIDNEXT seen before.
/// </summary>
internal sealed class MessageCopier(IMailSide[] sides, SyncStateStore state, IProgress<SyncEvent>? progress)
{
    public async Task<bool> CopyAllAsync(FolderScan scan, List<CopyAction> copies, FolderReport report, CancellationToken ct)
    {
        var complete = true;
        var done = 0;
        var taken = new[] { new HashSet<uint>(scan.Mappings.Select(m => m.Uid0)), new HashSet<uint>(scan.Mappings.Select(m => m.Uid1)) };
        foreach (var copy in copies)
        {
            var to = 1 - copy.FromSide;
            var newUid = await CopyOneAsync(scan, copy, taken[to], ct).ConfigureAwait(false);
            if (newUid is null)
            {
                complete = false;
                continue;
            }
            taken[to].Add(newUid.Value);
            report.Copied[to]++;
            report.Bytes += copy.Identity.Size;
            progress?.Report(new MessageCopied(scan.Name, to, ++done, copies.Count, copy.Identity.Size));
        }
        return complete;
    }

    private async Task<uint?> CopyOneAsync(FolderScan scan, CopyAction copy, HashSet<uint> taken, CancellationToken ct)
    {
        var from = copy.FromSide;
        var to = 1 - from;
        var source = copy.Identity;
        var intent = new JournalIntent
        {
            Op = JournalOps.Copy, Side = to, Uids = [source.Uid], MinUid = scan.UidNextBefore(to),
            MessageId = source.MessageId, Size = source.Size, DateUnix = source.InternalDate.ToUnixTimeSeconds(),
            Key = source.ContentKey, Flags = copy.Flags.ToString(),
        };
        var intentId = await state.WriteAsync(tx => tx.AddIntent(scan.Pair.Id, intent), ct).ConfigureAwait(false);
        uint? newUid;
        var content = await sides[from].OpenMessageAsync(scan.Name, source.Uid, ct).ConfigureAwait(false);
        if (content is null)
        {
            await state.WriteAsync(tx => tx.CompleteIntent(intentId), ct).ConfigureAwait(false);
            return null;
        }
        await using (content.ConfigureAwait(false))
        {
            newUid = await sides[to].AppendAsync(scan.Name, content, source.Size, copy.Flags, source.InternalDate, ct)
                .ConfigureAwait(false);
        }
        newUid ??= await FindCopyAsync(sides[to], scan.Name, intent, taken, ct).ConfigureAwait(false);
        var mapping = newUid is { } uid
            ? MappedMessage.From(from, source.Uid, uid, copy.Flags, source, await KeyOfAsync(to, scan.Name, uid, ct).ConfigureAwait(false))
            : null;
        await state.WriteAsync(tx =>
        {
            if (mapping is not null)
            {
                tx.PutMapping(scan.Pair.Id, mapping);
            }
            else
            {
                // Not found: forget any old mapping, so the next run pairs the two copies by content.
                tx.DeleteMapping(scan.Pair.Id, from, source.Uid);
            }
            tx.CompleteIntent(intentId);
        }, ct).ConfigureAwait(false);
        return newUid;
    }

    /// <summary>Finds a copy written by an append whose UID is unknown (no UIDPLUS, or a crash before recording).</summary>
    internal static async Task<uint?> FindCopyAsync(IMailSide side, string folder, JournalIntent intent, IReadOnlySet<uint> taken, CancellationToken ct)
    {
        var found = await side.FindMessagesAsync(folder, intent.MessageId, intent.Size, intent.MinUid, ct).ConfigureAwait(false);
        foreach (var uid in found)
        {
            if (!taken.Contains(uid))
            {
                return uid;
            }
        }
        return null;
    }

    private async Task<string?> KeyOfAsync(int side, string folder, uint uid, CancellationToken ct)
    {
        if ((sides[side].Capabilities & SideCapabilities.ContentKeys) == 0)
        {
            return null;
        }
        var identities = await sides[side].FetchIdentitiesAsync(folder, [uid], ct).ConfigureAwait(false);
        return identities.Count > 0 ? identities[0].ContentKey : null;
    }
}
