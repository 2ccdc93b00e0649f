namespace ImapProxy.Server.Fetch;

/// <summary>What a FETCH data item asks for.</summary>
internal enum FetchKind
{
    Uid,
    Flags,
    InternalDate,
    Rfc822Size,
    Envelope,
    BodyStructure,
    Body,
    ModSeq,

    /// <summary>BODY[...] / BODY.PEEK[...] and the RFC822, RFC822.HEADER, RFC822.TEXT aliases.</summary>
    Section,
}

/// <summary>
/// The part of a message a section names (RFC 3501 §6.4.5): a part path and one of "" (all),
/// HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME.
/// </summary>
internal sealed record SectionSpec(int[] Part, string Text, string[] Fields)
{
    public static readonly SectionSpec Whole = new([], "", []);

    public bool IsWholeMessage => Part.Length == 0 && Text.Length == 0;
}

/// <summary>One FETCH data item with the label it is answered under.</summary>
internal sealed record FetchItem(FetchKind Kind, string Label, SectionSpec? Section = null, bool Peek = true, long PartialStart = -1, long PartialLength = -1)
{
    /// <summary>Reading the body sets \Seen (RFC 3501 §6.4.5), except with .PEEK and RFC822.HEADER.</summary>
    public bool SetsSeen => Kind == FetchKind.Section && !Peek;

    public bool NeedsContent => Kind == FetchKind.Section;

    public bool NeedsDetails => Kind is FetchKind.Envelope or FetchKind.BodyStructure or FetchKind.Body;
}
