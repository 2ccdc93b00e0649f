using ImapProxy.Store;

namespace ImapProxy.Server.Sort;

/// <summary>What SORT and THREAD need of one message: its place in the mailbox, index data and its sort fields
/// (from the index, see <see cref="MailFolder.GetSortFieldsAsync"/>). Lives for one command.</summary>
internal sealed class SortMessage
{
    private BaseSubject? _subject;

    public SortMessage(int sequenceNumber, MessageInfo info, SortFields fields)
    {
        SequenceNumber = sequenceNumber;
        Info = info;
        Fields = fields;
        // RFC 5256 §2.2: a missing or unparsable Date: falls back to INTERNALDATE.
        SentDateUtcTicks = fields.SentDateUtcTicks ?? info.InternalDate.UtcTicks;
    }

    public int SequenceNumber { get; }

    public MessageInfo Info { get; }

    public SortFields Fields { get; }

    /// <summary>The sent date (RFC 5256 §2.2) in UTC ticks.</summary>
    public long SentDateUtcTicks { get; }

    public BaseSubject Subject => _subject ??= BaseSubject.Extract(Fields.Subject);
}
