using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>
/// A session's view of its selected folder: the messages in sequence-number order as this client knows them.
/// Changes made elsewhere (other sessions, the synchronizer, other Maildir writers) arrive through the folder's
/// change subscription and are applied to this view only when RFC 3501 §7 lets the server tell the client.
/// </summary>
internal sealed partial class SelectedMailbox : IAsyncDisposable
{
    private readonly MessageList _messages;
    private readonly FolderSubscription _changes;
    private readonly HashSet<uint> _expungedPending = new();
    private readonly HashSet<uint> _flagsPending = new();
    private readonly RecentUids _recent = new();
    private int _announcedExists;
    private int _announcedRecent;
    private bool _resyncNeeded;

    private SelectedMailbox(MailFolder folder, bool readOnly, FolderSnapshot snapshot, FolderSubscription changes)
    {
        Folder = folder;
        ReadOnly = readOnly;
        _changes = changes;
        _messages = new MessageList(snapshot.Messages);
        _announcedExists = _messages.Count;
        UidNext = snapshot.Status.UidNext;
        HighestModSeq = snapshot.Status.HighestModSeq;
        // RFC 3501 §2.3.2: what arrived since the last SELECT is \Recent for this session alone; EXAMINE looks
        // without taking it, so the next SELECT still gets it (Dovecot 2.3.19 behaves the same).
        uint through = UidNext - 1;
        _recent.Add(readOnly ? folder.FirstRecentUid : folder.ClaimRecent(through), through);
        _announcedRecent = RecentCount;
    }

    public MailFolder Folder { get; }

    public bool ReadOnly { get; }

    public int Count => _messages.Count;

    public uint UidNext { get; private set; }

    public ulong HighestModSeq { get; private set; }

    /// <summary>The folder was deleted or renamed while selected.</summary>
    public bool Gone { get; private set; }

    public static async Task<SelectedMailbox> OpenAsync(MailFolder folder, bool readOnly, CancellationToken cancellationToken)
    {
        // Subscribe first, so nothing that happens between the snapshot and the subscription is missed;
        // changes already in the snapshot are recognised by their MODSEQ and UID and skipped.
        var changes = folder.Subscribe();
        try
        {
            var snapshot = await SharedSnapshots.SelectAsync(folder, cancellationToken).ConfigureAwait(false);
            var selected = new SelectedMailbox(folder, readOnly, snapshot, changes);
            await folder.SaveRecentAsync(cancellationToken).ConfigureAwait(false);
            return selected;
        }
        catch
        {
            changes.Dispose();
            throw;
        }
    }

    public MessageInfo this[int sequenceNumber] => _messages[sequenceNumber - 1];

    public int RecentCount => _recent.CountIn(_messages);

    public bool IsRecent(uint uid) => _recent.Contains(uid);

    /// <summary>The message is gone from the store but the client was not told yet.</summary>
    public bool IsExpungedPending(uint uid) => _expungedPending.Contains(uid);

    public uint LastUid => _messages.Count == 0 ? 0 : _messages[_messages.Count - 1].Uid;

    /// <summary>Sequence number of <paramref name="uid"/>, or 0 when not in the view.</summary>
    public int SequenceOf(uint uid)
    {
        int lo = 0, hi = _messages.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint u = _messages[mid].Uid;
            if (u == uid)
            {
                return mid + 1;
            }
            if (u < uid)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return 0;
    }

    /// <summary>
    /// Sequence numbers named by a set, ascending, each once. For UID sets "*" is the highest UID (RFC 3501 §6.4.8:
    /// "n:*" always includes the last message) and UIDs not present are skipped. For message sequence numbers,
    /// numbers beyond the mailbox are an error, as RFC 3501 §9 ("seq-number") asks.
    /// </summary>
    public List<int> Resolve(ImapProxy.Protocol.SequenceSet set, bool byUid)
    {
        var seqs = new List<int>();
        if (_messages.Count == 0)
        {
            if (!byUid)
            {
                throw new CommandSyntaxException("No messages in the mailbox, so no sequence number is valid");
            }
            return seqs;
        }
        foreach (var (low, high) in set.Normalize(byUid ? LastUid : (uint)_messages.Count))
        {
            if (byUid)
            {
                for (int i = _messages.LowerBound(low); i < _messages.Count && _messages[i].Uid <= high; i++)
                {
                    if (seqs.Count == 0 || seqs[^1] < i + 1)
                    {
                        seqs.Add(i + 1);
                    }
                }
            }
            else
            {
                if (high > _messages.Count)
                {
                    throw new CommandSyntaxException($"Message sequence number {high} is beyond the {_messages.Count} messages");
                }
                for (long s = low; s <= high; s++)
                {
                    seqs.Add((int)s);
                }
            }
        }
        return seqs;
    }

    /// <summary>Records a message's new state after this session changed it (STORE), so the echo from the store is not reported twice.</summary>
    public void Update(MessageInfo message)
    {
        int seq = SequenceOf(message.Uid);
        if (seq > 0 && _messages[seq - 1].ModSeq <= message.ModSeq)
        {
            _messages[seq - 1] = message;
            _flagsPending.Remove(message.Uid);
        }
        HighestModSeq = Math.Max(HighestModSeq, message.ModSeq);
    }

    /// <summary>Completes when the store has queued a change for this view (IDLE), or never once the folder closed.</summary>
    public async Task WaitForChangesAsync(CancellationToken cancellationToken)
    {
        if (!await _changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _changes.Dispose();
        return ValueTask.CompletedTask;
    }
}
