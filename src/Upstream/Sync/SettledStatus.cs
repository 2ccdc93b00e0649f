using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// The status to record for a side after a folder's plan wrote there (flag stores, copies, expunges): past our own
/// writes when provably nothing else changed. Without this a pass records the status it read before its own writes,
/// so the next pass (the one Dovecot's IDLE starts by reporting our own STORE back, the one the local watcher starts
/// for our own files, or the first run after an initial download) finds the folder changed, reads its whole mapping
/// from the state and lists it, only to find its own changes.
/// </summary>
/// <remarks>
/// <para>
/// Why it is safe. Let H0 be the HIGHESTMODSEQ of the status read before this pass listed the folder (what a pass
/// records otherwise). Every change with a mod-sequence up to H0 was in this pass's listing. After our writes we list
/// the side again with CHANGEDSINCE H0: the very delta the next pass would start from. The side's listing contract
/// is that every change up to the HIGHESTMODSEQ it reports (Hv) is in it, and its UIDNEXT and message count are from
/// that same moment: the IMAP side reads them from a fresh SELECT before its UID FETCH, the Maildir side takes all of
/// it under the folder's lock. So every change by anyone in (H0, Hv] is in the delta: a flag change or an append as a
/// message with a mod-sequence above H0, an expunge as a VANISHED UID (a side that cannot report expunges gives no
/// delta at all, and nothing is advanced). We record the delta's status only when the delta holds nothing but
/// messages this pass wrote, each carrying exactly the flags recorded as its base, and every vanished UID is one this
/// pass expunged. Then the next pass, listing since H0, would find nothing to do in that range: whatever another
/// client did there left no trace the three-way merge could see.
/// </para>
/// <para>
/// A concurrent change by another client cannot be skipped. On another message (a flag, an append, an expunge) it is
/// in the delta and not ours: nothing is advanced. On a message we stored, made before our store: our +FLAGS/-FLAGS
/// only touch the flags we change (under UNCHANGEDSINCE the store is refused and nothing is recorded at all), so the
/// other client's flag stays and the flags differ from our target. Its change could only hide behind equal flags if
/// it made exactly our change, which leaves nothing to sync. Made after our store but before the delta's SELECT: in
/// the delta with other flags. Made later: its mod-sequence is above Hv (RFC 7162 §3.1: each change gets a new
/// mod-sequence, above any the mailbox reported before; the property every CHANGEDSINCE listing of this engine relies
/// on), and an append or expunge also moves UIDNEXT or the count, so the next status read differs from what we record.
/// </para>
/// <para>
/// No attribution of our STOREs' own <c>FETCH (MODSEQ)</c> answers is needed (such as "our mod-sequences are
/// consecutive from H0"): an unsolicited FETCH for another client's change of the same message can come inside our
/// STORE's response, so which mod-sequences our STOREs got is not something a client can know for sure, whereas the
/// delta's content is. The price is one CHANGEDSINCE listing on a pass that already wrote, against a listing of the
/// folder and a read of its whole mapping on the pass after.
/// </para>
/// </remarks>
internal static class SettledStatus
{
    /// <summary>
    /// The status to record for <paramref name="side"/> after a plan carried out in full: the one read before the
    /// listing, or a later one when the checks above allow it.
    /// </summary>
    public static async Task<SideState> FindAsync(IMailSide[] sides, int side, FolderScan scan, CancellationToken ct)
    {
        var before = scan.Status[side];
        var recorded = new SideState(before.UidValidity, before.UidNext, before.HighestModSeq, before.MessageCount);
        var written = scan.Written[side];
        var removed = scan.Removed[side];
        if ((written.Count == 0 && removed.Count == 0) || before.HighestModSeq == 0
            || (sides[side].Capabilities & SideCapabilities.ModSeq) == 0)
        {
            return recorded;
        }
        var delta = await sides[side].ListMessagesAsync(scan.Name, before.HighestModSeq, ct).ConfigureAwait(false);
        var settled = delta.IsDelta && delta.HighestModSeq > before.HighestModSeq && delta.UidValidity == before.UidValidity
                      && delta.MessageCount >= 0 && delta.Vanished.All(removed.Contains)
                      && delta.Messages.All(m => written.TryGetValue(m.Uid, out var flags) && m.Flags.Equals(flags));
        return settled ? new SideState(delta.UidValidity, delta.UidNext, delta.HighestModSeq, delta.MessageCount) : recorded;
    }
}
