using System.Text;

namespace ImapProxy.Protocol;

/// <summary>The FETCH data items (RFC 3501 §6.4.5, RFC 9051, RFC 3516 BINARY, RFC 7162 MODSEQ).</summary>
public enum FetchAttributeKind
{
#pragma warning disable CS1591 // the RFC's item names
    Envelope, Flags, InternalDate, Rfc822, Rfc822Header, Rfc822Size, Rfc822Text,
    /// <summary>BODY without a section: the non-extensible BODYSTRUCTURE.</summary>
    Body,
    BodyStructure, Uid, ModSeq,
    /// <summary>BODY[section]&lt;partial&gt; or BODY.PEEK[…].</summary>
    BodySection,
    /// <summary>BINARY[part]&lt;partial&gt; or BINARY.PEEK[…].</summary>
    BinarySection,
    /// <summary>BINARY.SIZE[part].</summary>
    BinarySize,
#pragma warning restore CS1591
}

/// <summary>The text part of a section: HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME, or none.</summary>
public enum SectionText
{
    /// <summary>The whole part (<c>BODY[]</c>, <c>BODY[1.2]</c>).</summary>
    None,
#pragma warning disable CS1591 // the RFC's names
    Header, HeaderFields, HeaderFieldsNot, Text, Mime,
#pragma warning restore CS1591
}

/// <summary>A body section: part numbers, then an optional text specifier and header field names.</summary>
public sealed record BodySection
{
    /// <summary>The part path, e.g. [1, 2] for "1.2"; empty for the whole message.</summary>
    public IReadOnlyList<uint> Part { get; init; } = [];

    /// <summary>The text specifier.</summary>
    public SectionText Text { get; init; }

    /// <summary>The field names of HEADER.FIELDS and HEADER.FIELDS.NOT, as sent.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>The section as written between brackets, e.g. <c>1.HEADER.FIELDS (FROM TO)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendJoin('.', Part);
        if (Text != SectionText.None)
        {
            if (Part.Count > 0) sb.Append('.');
            sb.Append(Text switch
            {
                SectionText.Header => "HEADER",
                SectionText.HeaderFields => "HEADER.FIELDS",
                SectionText.HeaderFieldsNot => "HEADER.FIELDS.NOT",
                SectionText.Text => "TEXT",
                _ => "MIME",
            });
        }
        if (Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
            sb.Append(" (").AppendJoin(' ', Fields).Append(')');
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(BodySection? other) =>
        other is not null && Text == other.Text && Part.SequenceEqual(other.Part) && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Text, Part.Count, Fields.Count);
}

/// <summary>One FETCH data item as requested.</summary>
public sealed record FetchAttribute(FetchAttributeKind Kind)
{
    /// <summary>True for BODY.PEEK / BINARY.PEEK (do not set \Seen).</summary>
    public bool Peek { get; init; }

    /// <summary>The section of BODY[…], BINARY[…], BINARY.SIZE[…].</summary>
    public BodySection? Section { get; init; }

    /// <summary>The origin octet of a partial fetch <c>&lt;origin.length&gt;</c>, or null.</summary>
    public uint? PartialOrigin { get; init; }

    /// <summary>The length of a partial fetch.</summary>
    public uint PartialLength { get; init; }

    /// <summary>The item as requested, e.g. <c>BODY.PEEK[HEADER]&lt;0.100&gt;</c>.</summary>
    public override string ToString() => Name(forResponse: false);

    /// <summary>The item's name in a FETCH response: no .PEEK, and a partial shows only its origin
    /// (<c>BODY[]&lt;0&gt;</c>).</summary>
    public string ResponseName => Name(forResponse: true);

    private string Name(bool forResponse)
    {
        var head = Kind switch
        {
            FetchAttributeKind.Envelope => "ENVELOPE",
            FetchAttributeKind.Flags => "FLAGS",
            FetchAttributeKind.InternalDate => "INTERNALDATE",
            FetchAttributeKind.Rfc822 => "RFC822",
            FetchAttributeKind.Rfc822Header => "RFC822.HEADER",
            FetchAttributeKind.Rfc822Size => "RFC822.SIZE",
            FetchAttributeKind.Rfc822Text => "RFC822.TEXT",
            FetchAttributeKind.Body => "BODY",
            FetchAttributeKind.BodyStructure => "BODYSTRUCTURE",
            FetchAttributeKind.Uid => "UID",
            FetchAttributeKind.ModSeq => "MODSEQ",
            FetchAttributeKind.BodySection => Peek && !forResponse ? "BODY.PEEK" : "BODY",
            FetchAttributeKind.BinarySection => Peek && !forResponse ? "BINARY.PEEK" : "BINARY",
            _ => "BINARY.SIZE",
        };
        if (Section is null) return head;
        var partial = PartialOrigin is null ? "" : forResponse ? $"<{PartialOrigin}>" : $"<{PartialOrigin}.{PartialLength}>";
        return $"{head}[{Section}]{partial}";
    }
}

/// <summary>The data items and modifiers of a FETCH command.</summary>
public sealed class FetchRequest
{
    /// <summary>The items, with macros (ALL, FAST, FULL) expanded.</summary>
    public required IReadOnlyList<FetchAttribute> Attributes { get; init; }

    /// <summary>The macro used (ALL, FAST, FULL), or null.</summary>
    public string? Macro { get; init; }

    /// <summary>The CHANGEDSINCE modifier (RFC 7162), or null.</summary>
    public ulong? ChangedSince { get; init; }

    /// <summary>The VANISHED modifier (RFC 7162 QRESYNC; only valid with UID FETCH and CHANGEDSINCE).</summary>
    public bool Vanished { get; init; }
}
