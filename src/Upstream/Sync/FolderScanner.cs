using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>Reads one folder pair from both sides into a <see cref="FolderScan"/>.</summary>
internal sealed class FolderScanner(IMailSide[] sides)
{
    public async Task<FolderScan> ScanAsync(
        FolderPairState pair, FolderStatus[] status, List<MappedMessage> mappings, CancellationToken ct)
    {
        var scan = new FolderScan(pair, status, mappings);
        var unknownBase = mappings.Any(m => m.BaseFlags is null);
        for (var side = 0; side < 2; side++)
        {
            var previous = pair.Side(side);
            var useDelta = !unknownBase && previous is not null && previous.HighestModSeq > 0
                           && status[side].HighestModSeq > 0 && status[side].UidValidity == previous.UidValidity
                           && (sides[side].Capabilities & SideCapabilities.ModSeq) != 0;
            if (status[side].UidValidity == 0)
            {
                // Dry run: the folder does not exist on this side yet.
                scan.Listings[side] = new FolderListing(0, 1, 0, [], [], false);
                continue;
            }
            var listing = await sides[side].ListMessagesAsync(pair.Name, useDelta ? previous!.HighestModSeq : 0, ct)
                .ConfigureAwait(false);
            if (listing.IsDelta && listing.UidValidity != previous!.UidValidity)
            {
                listing = await sides[side].ListMessagesAsync(pair.Name, 0, ct).ConfigureAwait(false);
            }
            BuildView(scan, side, listing);
            // The view holds every message now; the listing's own list would only double it while the copies run.
            scan.Listings[side] = listing with { Messages = [] };
            if (previous is not null && listing.UidValidity != previous.UidValidity)
            {
                await RematchAsync(scan, side, ct).ConfigureAwait(false);
            }
        }
        for (var side = 0; side < 2; side++)
        {
            var mapped = scan.Mappings.Select(m => m.Uid(side)).ToHashSet();
            var unknown = scan.Present[side].Keys.Where(uid => !mapped.Contains(uid)).ToList();
            if (unknown.Count > 0)
            {
                foreach (var identity in await sides[side].FetchIdentitiesAsync(pair.Name, unknown, ct).ConfigureAwait(false))
                {
                    scan.Unmapped[side][identity.Uid] = identity;
                }
            }
        }
        return scan;
    }

    private static void BuildView(FolderScan scan, int side, FolderListing listing)
    {
        var present = scan.Present[side];
        if (listing.IsDelta)
        {
            // Unchanged messages still carry the flags both sides agreed on at the last sync.
            var vanished = listing.Vanished.ToHashSet();
            foreach (var m in scan.Mappings)
            {
                if (!vanished.Contains(m.Uid(side)))
                {
                    present[m.Uid(side)] = m.BaseFlags!;
                }
            }
        }
        foreach (var message in listing.Messages)
        {
            present[message.Uid] = message.Flags;
            if (message.ModSeq > 0)
            {
                scan.ModSeqs[side][message.Uid] = message.ModSeq;
            }
        }
    }

    /// <summary>
    /// UIDVALIDITY changed on <paramref name="side"/>: the stored UIDs there mean nothing any more. Find each mapped
    /// message again by Message-ID, size (and date when there is no Message-ID); what is not found loses its mapping,
    /// so the other side's copy counts as new and is copied back rather than deleted.
    /// </summary>
    private async Task RematchAsync(FolderScan scan, int side, CancellationToken ct)
    {
        var identities = await sides[side].FetchIdentitiesAsync(scan.Name, scan.Present[side].Keys.ToList(), ct)
            .ConfigureAwait(false);
        var pool = identities.GroupBy(i => (i.MessageId, i.Size)).ToDictionary(g => g.Key, g => new Queue<MessageIdentity>(g.OrderBy(i => i.Uid)));
        var rematched = new List<MappedMessage>();
        foreach (var m in scan.Mappings)
        {
            if (!pool.TryGetValue((m.MessageId, m.Size), out var candidates))
            {
                continue;
            }
            var wanted = m.Identity(side);
            var match = candidates.FirstOrDefault(c => c.SameContentAs(wanted));
            if (match is null)
            {
                continue;
            }
            var rest = candidates.Where(c => c != match).ToList();
            pool[(m.MessageId, m.Size)] = new Queue<MessageIdentity>(rest);
            rematched.Add(side == 0
                ? m with { Uid0 = match.Uid, Key0 = match.ContentKey }
                : m with { Uid1 = match.Uid, Key1 = match.ContentKey });
        }
        scan.Notes.Add($"UIDVALIDITY changed on {sides[side].Name}: {rematched.Count} of {scan.Mappings.Count} messages re-matched by Message-ID and size");
        scan.Mappings = rematched;
        scan.MappingsReplaced = true;
    }
}
