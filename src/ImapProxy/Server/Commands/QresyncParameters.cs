using ImapProxy.Protocol;

namespace ImapProxy.Server.Commands;

/// <summary>SELECT's <c>(CONDSTORE)</c> and <c>(QRESYNC (uidvalidity modseq [known-uids]))</c> parameters (RFC 7162 §3.2.5).</summary>
internal sealed class QresyncParameters
{
    private readonly uint _uidValidity;
    private readonly ulong _modSeq;
    private readonly SequenceSet? _knownUids;

    private QresyncParameters(uint uidValidity, ulong modSeq, SequenceSet? knownUids)
    {
        _uidValidity = uidValidity;
        _modSeq = modSeq;
        _knownUids = knownUids;
    }

    /// <summary>Turns CONDSTORE on when asked; returns the QRESYNC data, or null when none was given.</summary>
    public static QresyncParameters? Parse(IReadOnlyList<ImapValue> parameters, ImapSession session)
    {
        QresyncParameters? result = null;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsAtom("CONDSTORE"))
            {
                session.CondStoreActive = true;
            }
            else if (parameters[i].IsAtom("QRESYNC") && i + 1 < parameters.Count && parameters[i + 1].IsList)
            {
                if (!session.Enabled.Contains("QRESYNC"))
                {
                    throw new CommandSyntaxException("QRESYNC parameter needs ENABLE QRESYNC first");
                }
                var items = parameters[++i].Items;
                if (items.Count < 2 || !items[0].TryGetNumber(out var validity) || !items[1].TryGetNumber(out var modSeq))
                {
                    throw new CommandSyntaxException("QRESYNC expects (uidvalidity modseq [known-uids])");
                }
                SequenceSet? known = null;
                if (items.Count > 2 && items[2].Kind == ImapValueKind.Atom && !SequenceSet.TryParse(items[2].Bytes.Span, out known, out _))
                {
                    throw new CommandSyntaxException("QRESYNC known-uids is not a valid UID set");
                }
                result = new QresyncParameters((uint)validity, modSeq, known);
            }
            else
            {
                throw new CommandSyntaxException($"Unknown SELECT parameter {ImapSession.Printable(parameters[i].ToString())}");
            }
        }
        return result;
    }

    /// <summary>VANISHED (EARLIER) for what went away since the client's MODSEQ, and FETCH for what changed.</summary>
    public async Task ReportAsync(CommandContext context, SelectedMailbox selected)
    {
        if (_uidValidity != selected.Folder.UidValidity)
        {
            return; // RFC 7162 §3.2.5.2: a different UIDVALIDITY means a full resync; nothing more to say.
        }
        var vanished = await selected.Folder.GetExpungedSinceAsync(_modSeq, context.CancellationToken).ConfigureAwait(false);
        var relevant = _knownUids is null ? vanished : vanished.Where(u => _knownUids.Contains(u, uint.MaxValue)).ToList();
        if (relevant.Count > 0)
        {
            context.Writer.Untagged("VANISHED (EARLIER) " + SequenceSetText.Format(relevant));
        }
        for (int seq = 1; seq <= selected.Count; seq++)
        {
            // RFC 7162 §3.2.5.2: with known-uids, changes are reported only for messages the client has (as Dovecot 2.3).
            if (selected[seq].ModSeq > _modSeq && (_knownUids is null || _knownUids.Contains(selected[seq].Uid, uint.MaxValue)))
            {
                selected.WriteFlagsFetch(context.Session, seq, withUid: true, flagsFirst: true);
            }
        }
    }
}
