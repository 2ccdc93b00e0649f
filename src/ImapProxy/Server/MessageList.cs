using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>
/// A session's messages in sequence-number order, copy-on-write: sessions that selected the same unchanged folder
/// share one array (see <see cref="SharedSnapshots"/>), and a session copies it only when its own view first
/// changes. A hundred idle clients on a big INBOX thus hold one copy, not a hundred.
/// </summary>
internal sealed class MessageList
{
    private MessageInfo[]? _shared;
    private List<MessageInfo>? _own;

    public MessageList(IReadOnlyList<MessageInfo> messages) => _shared = messages as MessageInfo[] ?? messages.ToArray();

    public int Count => _own?.Count ?? _shared!.Length;

    public MessageInfo this[int index]
    {
        get => _own is null ? _shared![index] : _own[index];
        set => Own()[index] = value;
    }

    public void Add(MessageInfo message) => Own().Add(message);

    public void RemoveAt(int index) => Own().RemoveAt(index);

    public int RemoveAll(Predicate<MessageInfo> match) => Own().RemoveAll(match);

    /// <summary>Index of the first message with UID ≥ <paramref name="uid"/> (the list is in UID order), or
    /// <see cref="Count"/> when there is none.</summary>
    public int LowerBound(uint uid)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (this[mid].Uid < uid)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private List<MessageInfo> Own()
    {
        if (_own is null)
        {
            _own = new List<MessageInfo>(_shared!);
            _shared = null;
        }
        return _own;
    }
}
