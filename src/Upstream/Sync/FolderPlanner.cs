using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// The three-way comparison for one folder pair: side 0 now, the state, side 1 now. Pure: it reads a
/// <see cref="FolderScan"/> and returns a <see cref="FolderPlan"/>.
/// </summary>
/// <remarks>
/// Rules, per mapped message: present on both → flags merged (<see cref="FlagMerge"/>); gone from one side and
/// unchanged on the other (or changed only by gaining \Deleted) → expunged there too; gone from one side but
/// changed on the other → kept and copied back (safety first); gone from both → forgotten. Unmapped messages are first paired with an unmapped message of the
/// same content on the other side (so a lost state or a crash never duplicates); the rest are copied across.
/// </remarks>
internal static class FolderPlanner
{
    public static FolderPlan Plan(FolderScan scan)
    {
        var plan = new FolderPlan { Folder = scan.Name };
        plan.Notes.AddRange(scan.Notes);
        var mappings = new List<MappedMessage>(scan.Mappings);
        if (scan.MappingsReplaced)
        {
            plan.ReplaceMappings = true;
        }
        PairByContent(scan, plan, mappings);
        foreach (var m in mappings)
        {
            ClassifyMapped(scan, plan, m);
        }
        for (var side = 0; side < 2; side++)
        {
            var paired = plan.NewMappings.Select(m => m.Uid(side)).ToHashSet();
            foreach (var (uid, identity) in scan.Unmapped[side].OrderBy(u => u.Key))
            {
                if (!paired.Contains(uid) && !scan.Claimed[side].Contains(uid) && scan.Present[side].TryGetValue(uid, out var flags))
                {
                    plan.Copies.Add(new CopyAction(side, identity, flags, "new"));
                }
            }
        }
        if (plan.ReplaceMappings)
        {
            plan.Mappings = mappings;
        }
        return plan;
    }

    private static void PairByContent(FolderScan scan, FolderPlan plan, List<MappedMessage> mappings)
    {
        if (scan.Unmapped[0].Count == 0 || scan.Unmapped[1].Count == 0)
        {
            return;
        }
        var candidates = scan.Unmapped[1].Values
            .Where(i => !scan.Claimed[1].Contains(i.Uid))
            .GroupBy(i => (i.MessageId, i.Size))
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Uid).ToList());
        foreach (var identity in scan.Unmapped[0].Values.OrderBy(i => i.Uid))
        {
            if (scan.Claimed[0].Contains(identity.Uid) || !candidates.TryGetValue((identity.MessageId, identity.Size), out var list))
            {
                continue;
            }
            var match = list.FirstOrDefault(c => c.SameContentAs(identity));
            if (match is null)
            {
                continue;
            }
            list.Remove(match);
            var mapping = MappedMessage.From(0, identity.Uid, match.Uid, null, identity, match.ContentKey);
            plan.NewMappings.Add(mapping);
            mappings.Add(mapping);
        }
        if (plan.NewMappings.Count > 0)
        {
            plan.Notes.Add($"{plan.NewMappings.Count} messages found on both sides by content and paired");
        }
    }

    private static void ClassifyMapped(FolderScan scan, FolderPlan plan, MappedMessage m)
    {
        var has0 = scan.Present[0].TryGetValue(m.Uid0, out var flags0);
        var has1 = scan.Present[1].TryGetValue(m.Uid1, out var flags1);
        if (has0 && has1)
        {
            var target = FlagMerge.Merge(flags0!, m.BaseFlags, flags1!);
            if (!target.Equals(flags0) || !target.Equals(flags1) || !target.Equals(m.BaseFlags))
            {
                plan.Flags.Add(new FlagAction(m, target, flags0!, flags1!));
            }
            return;
        }
        if (!has0 && !has1)
        {
            plan.Forget.Add(m);
            return;
        }
        var kept = has0 ? 0 : 1;
        var keptFlags = has0 ? flags0! : flags1!;
        if (m.BaseFlags is not null && (keptFlags.Equals(m.BaseFlags) || OnlyMarkedDeleted(keptFlags, m.BaseFlags)))
        {
            plan.Expunge[kept].Add(m);
        }
        else
        {
            plan.Copies.Add(new CopyAction(kept, m.Identity(kept), keptFlags, "re-copy"));
        }
    }

    /// <summary>
    /// The only change since the last sync is \Deleted being set. Both sides then asked for the message to go (one
    /// expunged it, the other marked it for expunging), so copying it back would only bring back a message its user
    /// deleted twice, flagged to be deleted again.
    /// </summary>
    private static bool OnlyMarkedDeleted(FlagSet now, FlagSet baseFlags) =>
        now.Contains(DeletedFlag) && !baseFlags.Contains(DeletedFlag) && now.Except(DeletedOnly).Equals(baseFlags);

    private const string DeletedFlag = @"\Deleted";
    private static readonly FlagSet DeletedOnly = FlagSet.Of(DeletedFlag);
}
