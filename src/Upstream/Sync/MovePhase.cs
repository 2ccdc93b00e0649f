using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Recognises messages moved between folders on one side (gone from a folder's mapping, back as a new message with
/// the same content key in another folder) and moves them likewise on the other side, so nothing is re-uploaded.
/// Runs across all scanned folders before the per-folder plans, and patches the scans.
/// </summary>
internal sealed class MovePhase(IMailSide[] sides, SyncStateStore state)
{
    public static List<MoveAction> Detect(IMailSide[] sides, IReadOnlyList<FolderScan> scans)
    {
        var moves = new List<MoveAction>();
        for (var side = 0; side < 2; side++)
        {
            var other = 1 - side;
            if ((sides[side].Capabilities & SideCapabilities.ContentKeys) == 0 || (sides[other].Capabilities & SideCapabilities.Move) == 0)
            {
                continue;
            }
            var gone = new Dictionary<string, (FolderScan Scan, MappedMessage Mapping)>(StringComparer.Ordinal);
            foreach (var scan in scans)
            {
                foreach (var m in scan.Mappings)
                {
                    if (m.Key(side) is { } key && !scan.Present[side].ContainsKey(m.Uid(side)) && scan.Present[other].ContainsKey(m.Uid(other)))
                    {
                        gone.TryAdd(key, (scan, m));
                    }
                }
            }
            if (gone.Count == 0)
            {
                continue;
            }
            foreach (var scan in scans)
            {
                foreach (var identity in scan.Unmapped[side].Values.OrderBy(i => i.Uid))
                {
                    if (identity.ContentKey is { } key && gone.Remove(key, out var source) && source.Scan != scan)
                    {
                        moves.Add(new MoveAction(side, source.Scan.Name, scan.Name, source.Mapping, identity.Uid));
                    }
                }
            }
        }
        return moves;
    }

    /// <summary>Carries out (or, in a dry run, only accounts for) the moves, patching the scans.</summary>
    /// <returns>Folders left in doubt by a failed move, with the error.</returns>
    public async Task<List<(string Folder, string Error)>> ApplyAsync(
        IReadOnlyList<MoveAction> moves, IReadOnlyDictionary<string, FolderScan> scans, bool dryRun, CancellationToken ct)
    {
        var failed = new List<(string, string)>();
        foreach (var move in moves)
        {
            if (failed.Any(f => f.Item1 == move.From || f.Item1 == move.To))
            {
                continue;
            }
            var from = scans[move.From];
            var to = scans[move.To];
            var other = 1 - move.MovedOnSide;
            var oldUid = move.Mapping.Uid(other);
            var flags = from.Present[other][oldUid];
            from.Present[other].Remove(oldUid);
            from.Mappings.Remove(move.Mapping);
            to.Claimed[move.MovedOnSide].Add(move.NewUid);
            if (dryRun)
            {
                continue;
            }
            MappedMessage? mapping;
            try
            {
                mapping = await MoveOneAsync(move, from, to, other, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var error = $"move {move.From} → {move.To} failed: {ex.GetType().Name}: {ex.Message}";
                failed.Add((move.From, error));
                failed.Add((move.To, error));
                continue;
            }
            if (mapping is not null)
            {
                to.Mappings.Add(mapping);
                to.Present[other][mapping.Uid(other)] = flags;
                to.Unmapped[move.MovedOnSide].Remove(move.NewUid);
            }
        }
        return failed;
    }

    private async Task<MappedMessage?> MoveOneAsync(MoveAction move, FolderScan from, FolderScan to, int other, CancellationToken ct)
    {
        var m = move.Mapping;
        var oldUid = m.Uid(other);
        var intent = new JournalIntent
        {
            Op = JournalOps.Move, Side = other, Uids = [oldUid], OtherUid = move.NewUid,
            MinUid = to.UidNextBefore(other), ToFolderId = to.Pair.Id, MessageId = m.MessageId, Size = m.Size,
            DateUnix = m.InternalDate.ToUnixTimeSeconds(), Key = m.Key(other), Flags = m.BaseFlags?.ToString(),
        };
        var intentId = await state.WriteAsync(tx => tx.AddIntent(from.Pair.Id, intent), ct).ConfigureAwait(false);
        var map = await sides[other].MoveAsync(move.From, [oldUid], move.To, ct).ConfigureAwait(false);
        uint? newUid = map is not null && map.TryGetValue(oldUid, out var u) ? u : null;
        if (newUid is null)
        {
            var taken = to.Mappings.Select(x => x.Uid(other)).ToHashSet();
            var found = await sides[other].FindMessagesAsync(move.To, m.MessageId, m.Size, intent.MinUid, ct).ConfigureAwait(false);
            newUid = found.Where(x => !taken.Contains(x)).Cast<uint?>().FirstOrDefault();
        }
        MappedMessage? mapping = null;
        if (newUid is { } uid)
        {
            var movedIdentity = to.Unmapped[move.MovedOnSide][move.NewUid];
            mapping = MappedMessage.From(move.MovedOnSide, move.NewUid, uid, m.BaseFlags, movedIdentity, m.Key(other));
        }
        await state.WriteAsync(tx =>
        {
            tx.DeleteMapping(from.Pair.Id, other, oldUid);
            if (mapping is not null)
            {
                tx.PutMapping(to.Pair.Id, mapping);
            }
            tx.CompleteIntent(intentId);
        }, ct).ConfigureAwait(false);
        return mapping;
    }
}
