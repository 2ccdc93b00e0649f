using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>One body item of a FETCH response: <c>BODY[section]&lt;origin&gt;</c>, <c>BINARY[…]</c>,
/// <c>RFC822</c>, <c>RFC822.HEADER</c> or <c>RFC822.TEXT</c> with its data.</summary>
public sealed class FetchBodyItem
{
    /// <summary>The item name as the server sent it, e.g. <c>BODY[HEADER.FIELDS (FROM)]</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The parsed section for BODY[…] and BINARY[…]; null for the RFC822 forms.</summary>
    public BodySection? Section { get; init; }

    /// <summary>The origin of a partial response (<c>&lt;origin&gt;</c>), or null.</summary>
    public uint? Origin { get; init; }

    /// <summary>The data; null for NIL.</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>The value as parsed (a literal may have been streamed: see <see cref="ImapValue.StreamedSize"/>).</summary>
    public ImapValue Value { get; init; }
}

/// <summary>The data items of an untagged FETCH response (<c>* 12 FETCH (…)</c>).</summary>
public sealed class FetchItems
{
    /// <summary>The message sequence number.</summary>
    public uint SequenceNumber { get; init; }

    /// <summary>UID, when sent.</summary>
    public uint? Uid { get; private set; }

    /// <summary>FLAGS, when sent (system flags in canonical case).</summary>
    public IReadOnlyList<string>? Flags { get; private set; }

    /// <summary>MODSEQ, when sent.</summary>
    public ulong? ModSeq { get; private set; }

    /// <summary>RFC822.SIZE, when sent.</summary>
    public ulong? Size { get; private set; }

    /// <summary>INTERNALDATE, when sent.</summary>
    public DateTimeOffset? InternalDate { get; private set; }

    /// <summary>ENVELOPE as a generic nested list, when sent.</summary>
    public ImapValue? Envelope { get; private set; }

    /// <summary>BODYSTRUCTURE (or BODY without section) as a generic nested list, when sent.</summary>
    public ImapValue? BodyStructure { get; private set; }

    /// <summary>BODY[…], BINARY[…], RFC822, RFC822.HEADER, RFC822.TEXT items.</summary>
    public IReadOnlyList<FetchBodyItem> Bodies { get; private set; } = [];

    /// <summary>Items this class does not interpret (e.g. X-GM-MSGID, BINARY.SIZE[…]), by name as sent.</summary>
    public IReadOnlyList<KeyValuePair<string, ImapValue>> Other { get; private set; } = [];

    /// <summary>Reads the items of a FETCH response.</summary>
    public static bool TryParse(ImapResponse response, out FetchItems? items, out string? error)
    {
        items = null;
        if (response.Name != "FETCH" || response.Number is null || response.Data.Count != 1 || !response.Data[0].IsList)
        {
            error = "not a FETCH response";
            return false;
        }
        var list = response.Data[0].Items;
        if (list.Count % 2 != 0) { error = "FETCH items must come in name/value pairs"; return false; }
        var result = new FetchItems { SequenceNumber = response.Number.Value };
        List<FetchBodyItem>? bodies = null;
        List<KeyValuePair<string, ImapValue>>? other = null;
        for (var i = 0; i < list.Count; i += 2)
        {
            var name = list[i];
            var value = list[i + 1];
            if (name.Kind != ImapValueKind.Atom) { error = "FETCH item name is not an atom"; return false; }
            if (!result.TryTake(name, value, ref bodies, ref other, out error)) return false;
        }
        result.Bodies = (IReadOnlyList<FetchBodyItem>?)bodies ?? [];
        result.Other = (IReadOnlyList<KeyValuePair<string, ImapValue>>?)other ?? [];
        items = result;
        error = null;
        return true;
    }

    private bool TryTake(ImapValue name, ImapValue value, ref List<FetchBodyItem>? bodies,
        ref List<KeyValuePair<string, ImapValue>>? other, out string? error)
    {
        error = null;
        if (name.IsAtom("UID"))
        {
            if (!value.TryGetNumber(out var uid) || uid == 0 || uid > uint.MaxValue) return Bad("UID", out error);
            Uid = (uint)uid;
        }
        else if (name.IsAtom("FLAGS"))
        {
            if (!value.IsList) return Bad("FLAGS", out error);
            var flags = new string[value.Items.Count];
            for (var i = 0; i < flags.Length; i++)
            {
                if (value.Items[i].Kind != ImapValueKind.Atom) return Bad("FLAGS", out error);
                flags[i] = ImapFlags.Normalize(value.Items[i].AsString()!);
            }
            Flags = flags;
        }
        else if (name.IsAtom("MODSEQ"))
        {
            if (!value.IsList || value.Items.Count != 1 || !value.Items[0].TryGetNumber(out var modseq)) return Bad("MODSEQ", out error);
            ModSeq = modseq;
        }
        else if (name.IsAtom("RFC822.SIZE"))
        {
            if (!value.TryGetNumber(out var size)) return Bad("RFC822.SIZE", out error);
            Size = size;
        }
        else if (name.IsAtom("INTERNALDATE"))
        {
            if (!value.IsString || !ImapDate.TryParseDateTime(value.Bytes.Span, out var date)) return Bad("INTERNALDATE", out error);
            InternalDate = date;
        }
        else if (name.IsAtom("ENVELOPE")) Envelope = value;
        else if (name.IsAtom("BODYSTRUCTURE") || name.IsAtom("BODY")) BodyStructure = value;
        else if (name.IsAtom("RFC822") || name.IsAtom("RFC822.HEADER") || name.IsAtom("RFC822.TEXT"))
            (bodies ??= []).Add(Body(name.AsString()!.ToUpperInvariant(), null, null, value));
        else if (IsSectionItem(name.Bytes.Span))
        {
            var reader = new ImapReader(new ReadOnlySequence<byte>(WithTerminator(name.Bytes.Span)));
            if (reader.TryReadFetchAtt(out var att, responseForm: true) != ParseStatus.Ok || att.Kind == FetchAttributeKind.BinarySize)
                (other ??= []).Add(new(name.AsString()!, value));
            else
                (bodies ??= []).Add(Body(name.AsString()!, att.Section, att.PartialOrigin, value));
        }
        else (other ??= []).Add(new(name.AsString()!, value));
        return true;
    }

    private static FetchBodyItem Body(string name, BodySection? section, uint? origin, ImapValue value) => new()
    {
        Name = name, Section = section, Origin = origin, Value = value,
        Data = value.IsNil || value.StreamedSize >= 0 ? (ReadOnlyMemory<byte>?)null : value.Bytes,
    };

    private static bool IsSectionItem(ReadOnlySpan<byte> name) =>
        (name.StartsWith("BODY["u8) || name.StartsWith("BINARY["u8) || name.StartsWith("body["u8) || name.StartsWith("binary["u8));

    private static byte[] WithTerminator(ReadOnlySpan<byte> name)
    {
        var b = new byte[name.Length + 1];
        name.CopyTo(b);
        b[^1] = (byte)' ';
        return b;
    }

    private static bool Bad(string item, out string? error)
    {
        error = $"malformed {item} in FETCH response";
        return false;
    }
}
