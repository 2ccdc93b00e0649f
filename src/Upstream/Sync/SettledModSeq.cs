namespace ImapProxy.Upstream.Sync;

/// <summary>
/// How far a side's HIGHESTMODSEQ may be recorded after a folder's plan stored flags there: past our own stores when
/// nothing else changed. Without this the pass records the HIGHESTMODSEQ it read before its own STOREs, so the next
/// pass (the one Dovecot's IDLE starts by reporting our own STORE back, or the local watcher starts for our own write)
/// finds the folder changed, reads its whole mapping from the state and lists it, only to find its own change.
/// </summary>
/// <remarks>
/// <para>
/// Why it is safe. Let H0 be the HIGHESTMODSEQ of the status read before this pass listed the folder (what the pass
/// records today). Every change with a mod-sequence up to H0 was in this pass's listing. After our stores we list the
/// side again with CHANGEDSINCE H0: the very delta the next pass would start from. It reports HIGHESTMODSEQ Hv and
/// every message whose mod-sequence is above H0 (plus the UIDs expunged since, under QRESYNC). The side's listing
/// contract is that every change up to its HIGHESTMODSEQ is in it: the IMAP side reads HIGHESTMODSEQ from a fresh
/// SELECT before its UID FETCH, the Maildir side takes both under the folder's lock. So every change by anyone in
/// (H0, Hv] is in the delta. We record Hv only when that delta holds nothing but messages we stored in this pass,
/// each now carrying exactly the flags we recorded as its new base, nothing expunged, UIDNEXT and UIDVALIDITY as
/// read before. Then the next pass, listing since H0, would find nothing to do in that range: whatever another
/// client did there left no trace the three-way merge could see.
/// </para>
/// <para>
/// A concurrent change by another client cannot be skipped. On another message it is in the delta and is not ours:
/// nothing is advanced. On a message we stored, before our store, our +FLAGS/-FLAGS only touch the flags we change,
/// so the other client's flag stays and the flags differ from our target: nothing advanced. (Its change could only
/// vanish behind equal flags if it made exactly our change, which is then nothing to sync.) After our store, it is in
/// the delta with other flags, or its mod-sequence is above Hv and the next status read differs from Hv. Later still,
/// it has a mod-sequence above Hv (RFC 7162 §3.1: each change gets a new mod-sequence, higher than any the mailbox
/// reported before; the same property every CHANGEDSINCE listing of this engine relies on), so the next status
/// differs. Appends and expunges change UIDNEXT or MESSAGES, which are recorded as read before the listing.
/// </para>
/// <para>
/// No attribution of the STOREs' own <c>FETCH (MODSEQ)</c> answers is needed: an unsolicited FETCH for another
/// client's change can arrive inside our STORE's response, so "the mod-sequences our STOREs got" is not something a
/// client can know for sure, whereas the delta's content is. The price is one CHANGEDSINCE listing on a pass that
/// already changed flags, against a listing of the folder and a read of its whole mapping on the pass after.
/// </para>
/// </remarks>
internal static class SettledModSeq
{
    /// <summary>
    /// The HIGHESTMODSEQ to record for <paramref name="side"/> after a plan carried out in full: the one read before
    /// the listing, or a later one when the checks above allow it.
    /// </summary>
    public static async Task<ulong> FindAsync(IMailSide[] sides, int side, FolderScan scan, FolderPlan plan, CancellationToken ct)
    {
        var before = scan.Status[side];
        var stored = StoredOn(side, plan);
        if (stored.Count == 0 || before.HighestModSeq == 0 || (sides[side].Capabilities & SideCapabilities.ModSeq) == 0
            || plan.Expunge[side].Count > 0 || plan.Copies.Any(c => c.FromSide != side))
        {
            // Nothing of ours to see past, or other changes of ours that would show in the delta anyway.
            return before.HighestModSeq;
        }
        var delta = await sides[side].ListMessagesAsync(scan.Name, before.HighestModSeq, ct).ConfigureAwait(false);
        var settled = delta.IsDelta && delta.Vanished.Count == 0 && delta.HighestModSeq > before.HighestModSeq
                      && delta.UidValidity == before.UidValidity && delta.UidNext == before.UidNext
                      && delta.Messages.All(m => stored.TryGetValue(m.Uid, out var target) && m.Flags.Equals(target));
        return settled ? delta.HighestModSeq : before.HighestModSeq;
    }

    /// <summary>UID on <paramref name="side"/> → the flags the plan stored there (the new base).</summary>
    private static Dictionary<uint, FlagSet> StoredOn(int side, FolderPlan plan)
    {
        var stored = new Dictionary<uint, FlagSet>();
        foreach (var action in plan.Flags)
        {
            if (!action.Current(side).Equals(action.Target))
            {
                stored[action.Mapping.Uid(side)] = action.Target;
            }
        }
        return stored;
    }
}
