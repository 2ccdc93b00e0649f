using System.Buffers.Binary;
using System.Text;

namespace ImapProxy.Store.Index;

/// <summary>
/// A folder's messages packed into one blob (UID, flags, MODSEQ, INTERNALDATE, size, keywords; no file names), so
/// opening a 100,000-message folder reads one value instead of stepping 100,000 rows. Written when the folder
/// closes; valid only while the folder's HIGHESTMODSEQ and UIDNEXT are those it was written with: every change that
/// touches these fields takes a new MODSEQ, so a stale blob (a crash after a change) is detected and the rows are
/// read instead. File names are left out: they are loaded on first need (a scan, a rename, an expunge).
/// </summary>
internal static class FolderStateBlob
{
    private const uint Magic = 0x31534649; // "IFS1"
    private const int HeaderSize = 4 + 8 + 4 + 4 + 4;
    private const int RecordSize = 4 + 1 + 8 + 8 + 8 + 4;

    public static byte[] Encode(IReadOnlyList<MessageEntry> messages, ulong highestModSeq, uint uidNext)
    {
        var keywordSets = new Dictionary<string, int>(StringComparer.Ordinal);
        var keywordTexts = new List<byte[]>();
        var setIndex = new int[messages.Count];
        for (int i = 0; i < messages.Count; i++)
        {
            var keywords = messages[i].Keywords;
            if (keywords.Length == 0) { setIndex[i] = -1; continue; }
            string text = string.Join(' ', keywords);
            if (!keywordSets.TryGetValue(text, out int index))
            {
                keywordSets[text] = index = keywordTexts.Count;
                keywordTexts.Add(Encoding.UTF8.GetBytes(text));
            }
            setIndex[i] = index;
        }
        int size = HeaderSize + messages.Count * RecordSize + keywordTexts.Sum(t => 4 + t.Length);
        var blob = new byte[size];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], highestModSeq);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], uidNext);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], messages.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], keywordTexts.Count);
        int at = HeaderSize;
        for (int i = 0; i < messages.Count; i++, at += RecordSize)
        {
            var m = messages[i];
            var r = span.Slice(at, RecordSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, m.Uid);
            r[4] = (byte)m.Flags;
            BinaryPrimitives.WriteUInt64LittleEndian(r[5..], m.ModSeq);
            BinaryPrimitives.WriteInt64LittleEndian(r[13..], m.InternalDate);
            BinaryPrimitives.WriteInt64LittleEndian(r[21..], m.Size);
            BinaryPrimitives.WriteInt32LittleEndian(r[29..], setIndex[i]);
        }
        foreach (var text in keywordTexts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], text.Length);
            text.CopyTo(span[(at + 4)..]);
            at += 4 + text.Length;
        }
        return blob;
    }

    /// <summary>The messages (without file names), or null if the blob is damaged or not for this folder state.</summary>
    public static List<MessageEntry>? Decode(ReadOnlySpan<byte> blob, ulong highestModSeq, uint uidNext)
    {
        if (blob.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(blob) != Magic) return null;
        if (BinaryPrimitives.ReadUInt64LittleEndian(blob[4..]) != highestModSeq || BinaryPrimitives.ReadUInt32LittleEndian(blob[12..]) != uidNext)
            return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(blob[16..]);
        int setCount = BinaryPrimitives.ReadInt32LittleEndian(blob[20..]);
        if (count < 0 || setCount < 0 || (long)count * RecordSize > blob.Length - HeaderSize) return null;
        var sets = new string[setCount][];
        int at = HeaderSize + count * RecordSize;
        for (int s = 0; s < setCount; s++)
        {
            if (at + 4 > blob.Length) return null;
            int length = BinaryPrimitives.ReadInt32LittleEndian(blob[at..]);
            if (length < 0 || at + 4 + length > blob.Length) return null;
            sets[s] = Encoding.UTF8.GetString(blob.Slice(at + 4, length)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            at += 4 + length;
        }
        var result = new List<MessageEntry>(count);
        uint lastUid = 0;
        for (int i = 0; i < count; i++)
        {
            var r = blob.Slice(HeaderSize + i * RecordSize, RecordSize);
            uint uid = BinaryPrimitives.ReadUInt32LittleEndian(r);
            int set = BinaryPrimitives.ReadInt32LittleEndian(r[29..]);
            if (uid <= lastUid || uid >= uidNext || set < -1 || set >= setCount) return null;
            lastUid = uid;
            result.Add(new MessageEntry
            {
                Uid = uid, FileName = null!, InNew = false, Flags = (MessageFlags)r[4], Keywords = set < 0 ? [] : sets[set],
                ModSeq = BinaryPrimitives.ReadUInt64LittleEndian(r[5..]), InternalDate = BinaryPrimitives.ReadInt64LittleEndian(r[13..]),
                Size = BinaryPrimitives.ReadInt64LittleEndian(r[21..]),
            });
        }
        return result;
    }
}
