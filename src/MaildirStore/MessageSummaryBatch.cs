using System.Buffers;

namespace ImapProxy.Store;

/// <summary>Which cached summaries a <see cref="MailFolder.LoadSummariesAsync"/> reads.</summary>
[Flags]
public enum SummaryParts
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>ENVELOPE.</summary>
    Envelope = 1,

    /// <summary>BODYSTRUCTURE.</summary>
    BodyStructure = 2,

    /// <summary>BODY (non-extensible).</summary>
    Body = 4,
}

/// <summary>
/// The cached ENVELOPE / BODYSTRUCTURE / BODY (IMAP wire bytes) of a run of messages, read by one index query
/// into one pooled buffer that is reused from batch to batch: FETCH over a whole folder costs one query per batch
/// and no allocation per message. Not thread-safe; dispose to return the buffers.
/// </summary>
public sealed class MessageSummaryBatch : IDisposable
{
    private byte[] _data = [];
    private Entry[] _entries = [];
    private int _used;

    /// <summary>Messages in the batch (those with a cache row), ascending by UID.</summary>
    public int Count { get; private set; }

    /// <summary>The position of <paramref name="uid"/> in the batch; false when the index has no summary for it.</summary>
    public bool TryFind(uint uid, out int index)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint u = _entries[mid].Uid;
            if (u == uid)
            {
                index = mid;
                return true;
            }
            if (u < uid) lo = mid + 1; else hi = mid - 1;
        }
        index = -1;
        return false;
    }

    /// <summary>True when every part in <paramref name="parts"/> is cached for the message at <paramref name="index"/>.</summary>
    public bool Has(int index, SummaryParts parts)
    {
        ref readonly var e = ref _entries[index];
        return ((parts & SummaryParts.Envelope) == 0 || e.EnvelopeLength >= 0)
            && ((parts & SummaryParts.BodyStructure) == 0 || e.BodyStructureLength >= 0)
            && ((parts & SummaryParts.Body) == 0 || e.BodyLength >= 0);
    }

    /// <summary>ENVELOPE of the message at <paramref name="index"/> (empty when not cached or not loaded).</summary>
    public ReadOnlySpan<byte> Envelope(int index) => Slice(_entries[index].EnvelopeStart, _entries[index].EnvelopeLength);

    /// <summary>BODYSTRUCTURE of the message at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> BodyStructure(int index) => Slice(_entries[index].BodyStructureStart, _entries[index].BodyStructureLength);

    /// <summary>BODY of the message at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Body(int index) => Slice(_entries[index].BodyStart, _entries[index].BodyLength);

    internal void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>Appends one row; a column that is NULL (not cached, or not asked for) comes with its has-flag false.</summary>
    internal void Add(uint uid, ReadOnlySpan<byte> envelope, bool hasEnvelope, ReadOnlySpan<byte> bodyStructure, bool hasBodyStructure,
        ReadOnlySpan<byte> body, bool hasBody)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(256, _entries.Length * 2));
        }
        Reserve(envelope.Length + bodyStructure.Length + body.Length);
        ref var e = ref _entries[Count++];
        e.Uid = uid;
        (e.EnvelopeStart, e.EnvelopeLength) = Append(envelope, hasEnvelope);
        (e.BodyStructureStart, e.BodyStructureLength) = Append(bodyStructure, hasBodyStructure);
        (e.BodyStart, e.BodyLength) = Append(body, hasBody);
    }

    private (int Start, int Length) Append(ReadOnlySpan<byte> bytes, bool present)
    {
        if (!present)
        {
            return (0, -1);
        }
        int start = _used;
        bytes.CopyTo(_data.AsSpan(start));
        _used += bytes.Length;
        return (start, bytes.Length);
    }

    private void Reserve(int more)
    {
        if (_used + more <= _data.Length)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_used + more, Math.Max(64 * 1024, _data.Length * 2)));
        _data.AsSpan(0, _used).CopyTo(bigger);
        ReturnData();
        _data = bigger;
    }

    private ReadOnlySpan<byte> Slice(int start, int length) => length < 0 ? default : _data.AsSpan(start, length);

    private void ReturnData()
    {
        if (_data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_data);
        }
        _data = [];
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        ReturnData();
        _entries = [];
        Clear();
    }

    private struct Entry
    {
        public uint Uid;
        public int EnvelopeStart, EnvelopeLength, BodyStructureStart, BodyStructureLength, BodyStart, BodyLength;
    }
}
