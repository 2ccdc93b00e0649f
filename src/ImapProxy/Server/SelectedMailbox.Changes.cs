using ImapProxy.Store;

namespace ImapProxy.Server;

internal sealed partial class SelectedMailbox
{
    /// <summary>
    /// Takes the changes queued by the store into this view and tells the client: EXPUNGE (or VANISHED with
    /// QRESYNC) when <paramref name="allowExpunge"/>, FETCH FLAGS for changed flags, EXISTS/RECENT for arrivals.
    /// </summary>
    public async Task ReportChangesAsync(ImapSession session, bool allowExpunge, CancellationToken cancellationToken)
    {
        Drain();
        if (_resyncNeeded)
        {
            await ResyncAsync(cancellationToken).ConfigureAwait(false);
        }
        await Folder.SaveRecentAsync(cancellationToken).ConfigureAwait(false);
        var writer = session.Writer;
        if (allowExpunge && _expungedPending.Count > 0)
        {
            WriteExpunges(session);
        }
        if (_flagsPending.Count > 0)
        {
            foreach (var uid in _flagsPending.Order())
            {
                int seq = SequenceOf(uid);
                if (seq > 0)
                {
                    WriteFlagsFetch(session, seq);
                }
            }
            _flagsPending.Clear();
        }
        int recent = RecentCount;
        if (_messages.Count > _announcedExists)
        {
            writer.Bytes("* "u8).Number(_messages.Count).Bytes(" EXISTS\r\n* "u8).Number(recent).Bytes(" RECENT\r\n"u8);
        }
        else if (recent != _announcedRecent)
        {
            // RFC 3501 §7.3.2: RECENT goes out whenever the count changes, also when \Recent messages were expunged.
            writer.Bytes("* "u8).Number(recent).Bytes(" RECENT\r\n"u8);
        }
        _announcedExists = _messages.Count;
        _announcedRecent = recent;
    }

    /// <summary>Removes messages this session itself expunged (EXPUNGE, CLOSE, MOVE) and reports them at once.</summary>
    public void ReportOwnExpunges(ImapSession session, IEnumerable<uint> uids)
    {
        Drain();
        foreach (var uid in uids)
        {
            if (SequenceOf(uid) > 0)
            {
                _expungedPending.Add(uid);
            }
        }
        WriteExpunges(session);
        _announcedExists = Math.Min(_announcedExists, _messages.Count);
    }

    /// <summary>
    /// One untagged FETCH with the message's flags, and its UID and MODSEQ when CONDSTORE/QRESYNC want them.
    /// <paramref name="withFlags"/> is false for a .SILENT STORE under CONDSTORE, which still owes the client the new
    /// MODSEQ (RFC 7162 §3.1.3). The item order follows Dovecot 2.3.19: MODSEQ before FLAGS for STORE and
    /// unsolicited changes, after FLAGS (<paramref name="flagsFirst"/>) where it answers a QRESYNC SELECT.
    /// </summary>
    public void WriteFlagsFetch(ImapSession session, int seq, bool withUid = false, bool withFlags = true, bool flagsFirst = false)
    {
        var message = _messages[seq - 1];
        var writer = session.Writer;
        writer.Bytes("* "u8).Number(seq).Bytes(" FETCH ("u8);
        bool first = true;
        if (withUid || session.Enabled.Contains("QRESYNC"))
        {
            writer.Bytes("UID "u8).Number(message.Uid);
            first = false;
        }
        if (flagsFirst && withFlags)
        {
            WriteFlagsItem(writer, message, ref first);
        }
        if (session.CondStoreActive)
        {
            writer.Bytes(first ? "MODSEQ ("u8 : " MODSEQ ("u8).Number((long)message.ModSeq).Bytes(")"u8);
            first = false;
        }
        if (!flagsFirst && withFlags)
        {
            WriteFlagsItem(writer, message, ref first);
        }
        writer.Bytes(")\r\n"u8);
    }

    private void WriteFlagsItem(ResponseWriter writer, MessageInfo message, ref bool first)
    {
        writer.Bytes(first ? "FLAGS ("u8 : " FLAGS ("u8);
        FlagNames.Write(writer, message.Flags, message.Keywords, IsRecent(message.Uid));
        writer.Bytes(")"u8);
        first = false;
    }

    private void WriteExpunges(ImapSession session)
    {
        var writer = session.Writer;
        if (session.Enabled.Contains("QRESYNC"))
        {
            // RFC 7162 §3.2.10: VANISHED replaces EXPUNGE once QRESYNC is enabled.
            var uids = _expungedPending.Order().ToList();
            _messages.RemoveAll(m => _expungedPending.Contains(m.Uid));
            writer.Ascii("* VANISHED " + SequenceSetText.Format(uids)).EndLine();
        }
        else
        {
            // Highest first, so each number is still right when the client reads it.
            for (int i = _messages.Count - 1; i >= 0; i--)
            {
                if (_expungedPending.Contains(_messages[i].Uid))
                {
                    writer.Bytes("* "u8).Number(i + 1).Bytes(" EXPUNGE\r\n"u8);
                    _messages.RemoveAt(i);
                }
            }
        }
        foreach (var uid in _expungedPending)
        {
            _flagsPending.Remove(uid);
        }
        _expungedPending.Clear();
    }

    private void Drain()
    {
        while (_changes.TryRead(out var change))
        {
            switch (change.Kind)
            {
                case FolderChangeKind.Added when change.Message is { } added && added.Uid > LastUid:
                    _messages.Add(added);
                    NoteArrival(added.Uid);
                    UidNext = Math.Max(UidNext, added.Uid + 1);
                    break;
                case FolderChangeKind.Expunged when SequenceOf(change.Uid) > 0:
                    _expungedPending.Add(change.Uid);
                    break;
                case FolderChangeKind.FlagsChanged when change.Message is { } changed:
                    int seq = SequenceOf(changed.Uid);
                    if (seq > 0 && changed.ModSeq > _messages[seq - 1].ModSeq && !_expungedPending.Contains(changed.Uid))
                    {
                        _messages[seq - 1] = changed;
                        _flagsPending.Add(changed.Uid);
                    }
                    break;
                case FolderChangeKind.ResyncNeeded:
                    _resyncNeeded = true;
                    break;
                case FolderChangeKind.FolderGone:
                    Gone = true;
                    break;
            }
            HighestModSeq = Math.Max(HighestModSeq, change.ModSeq);
        }
    }

    /// <summary>
    /// A message new to this view is \Recent here only if no other session was told of it first (RFC 3501 §2.3.2):
    /// a read-write session claims it; a read-only one shows it as \Recent while it is still unclaimed.
    /// </summary>
    private void NoteArrival(uint uid)
    {
        if ((ReadOnly ? Folder.FirstRecentUid : Folder.ClaimRecent(uid)) <= uid)
        {
            _recent.Add(uid, uid);
        }
    }

    /// <summary>The subscription overflowed: compare the whole folder with this view.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        _resyncNeeded = false;
        var snapshot = await Folder.SelectAsync(cancellationToken).ConfigureAwait(false);
        var current = snapshot.Messages.ToDictionary(m => m.Uid);
        for (int i = 0; i < _messages.Count; i++)
        {
            var known = _messages[i];
            if (!current.TryGetValue(known.Uid, out var now))
            {
                _expungedPending.Add(known.Uid);
            }
            else if (now.ModSeq > known.ModSeq)
            {
                _messages[i] = now;
                _flagsPending.Add(now.Uid);
            }
        }
        uint last = LastUid;
        foreach (var message in snapshot.Messages)
        {
            if (message.Uid > last)
            {
                _messages.Add(message);
                NoteArrival(message.Uid);
            }
        }
        UidNext = Math.Max(UidNext, snapshot.Status.UidNext);
        HighestModSeq = Math.Max(HighestModSeq, snapshot.Status.HighestModSeq);
    }
}
