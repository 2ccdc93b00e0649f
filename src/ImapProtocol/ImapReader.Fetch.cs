using System.Buffers;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    private static readonly SearchValues<byte> FetchNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-"u8);

    /// <summary>The FETCH arguments after the sequence set and SP: a macro (ALL, FAST, FULL), one fetch-att, or
    /// "(" fetch-att *(SP fetch-att) ")", then optional SP "(" fetch-modifier *(SP fetch-modifier) ")"
    /// (CHANGEDSINCE n, VANISHED). Stops before CRLF.</summary>
    public ParseStatus TryReadFetchAtts(out FetchRequest request)
    {
        request = null!;
        if (!_r.TryPeek(out var b)) return NeedMore();
        var attributes = new List<FetchAttribute>();
        string? macro = null;
        ParseStatus s;
        if (b == '(')
        {
            _r.Advance(1);
            while (true)
            {
                if ((s = TryReadFetchAtt(out var att)) != ParseStatus.Ok) return s;
                attributes.Add(att);
                if (!_r.TryPeek(out b)) return NeedMore();
                if (b == ')') { _r.Advance(1); break; }
                if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
                if (CountValue() != ParseStatus.Ok) return ParseStatus.Error;
            }
        }
        else
        {
            var start = _r.Consumed;
            if ((s = TryReadAtom(out ReadOnlySequence<byte> word)) != ParseStatus.Ok) return s;
            macro = EqualsIgnoreCase(word, "ALL") ? "ALL" : EqualsIgnoreCase(word, "FAST") ? "FAST"
                : EqualsIgnoreCase(word, "FULL") ? "FULL" : null;
            if (macro is null)
            {
                Restore(start);
                if ((s = TryReadFetchAtt(out var att)) != ParseStatus.Ok) return s;
                attributes.Add(att);
            }
            else
            {
                attributes.Add(new FetchAttribute(FetchAttributeKind.Flags));
                attributes.Add(new FetchAttribute(FetchAttributeKind.InternalDate));
                attributes.Add(new FetchAttribute(FetchAttributeKind.Rfc822Size));
                if (macro != "FAST") attributes.Add(new FetchAttribute(FetchAttributeKind.Envelope));
                if (macro == "FULL") attributes.Add(new FetchAttribute(FetchAttributeKind.Body));
            }
        }
        ulong? changedSince = null;
        var vanished = false;
        if ((s = TryPeekIs((byte)' ', out var more)) != ParseStatus.Ok) return s;
        if (more)
        {
            _r.Advance(1);
            if ((s = TryReadFetchModifiers(ref changedSince, ref vanished)) != ParseStatus.Ok) return s;
        }
        request = new FetchRequest { Attributes = attributes, Macro = macro, ChangedSince = changedSince, Vanished = vanished };
        return ParseStatus.Ok;
    }

    private ParseStatus TryReadFetchModifiers(ref ulong? changedSince, ref bool vanished)
    {
        var s = TryReadByte((byte)'(', "'(' of fetch modifiers");
        if (s != ParseStatus.Ok) return s;
        while (true)
        {
            if ((s = TryReadAtom(out ReadOnlySequence<byte> name)) != ParseStatus.Ok) return s;
            if (EqualsIgnoreCase(name, "CHANGEDSINCE"))
            {
                if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
                if ((s = TryReadNumber64(out var n)) != ParseStatus.Ok) return s;
                if (n == 0) return Fail("CHANGEDSINCE needs a non-zero mod-sequence");
                changedSince = n;
            }
            else if (EqualsIgnoreCase(name, "VANISHED")) vanished = true;
            else return Fail($"unknown fetch modifier {Ascii(name)}");
            if (!_r.TryPeek(out var b)) return NeedMore();
            if (b == ')') { _r.Advance(1); return ParseStatus.Ok; }
            if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
        }
    }

    /// <summary>fetch-att: ENVELOPE, FLAGS, INTERNALDATE, RFC822[.HEADER|.SIZE|.TEXT], BODY, BODYSTRUCTURE, UID,
    /// MODSEQ, BODY[.PEEK][section][&lt;partial&gt;], BINARY[.PEEK][part][&lt;partial&gt;], BINARY.SIZE[part].</summary>
    public ParseStatus TryReadFetchAtt(out FetchAttribute attribute) => TryReadFetchAtt(out attribute, responseForm: false);

    /// <summary>fetch-att; with <paramref name="responseForm"/> the partial is the response's <c>&lt;origin&gt;</c>.</summary>
    internal ParseStatus TryReadFetchAtt(out FetchAttribute attribute, bool responseForm)
    {
        attribute = null!;
        var s = TryReadToken(FetchNameChars, "fetch attribute", out var name);
        if (s != ParseStatus.Ok) return s;
        if (!_r.TryPeek(out var next)) return NeedMore();
        var hasSection = next == '[';
        FetchAttributeKind kind;
        var peek = false;
        if (EqualsIgnoreCase(name, "BODY")) kind = hasSection ? FetchAttributeKind.BodySection : FetchAttributeKind.Body;
        else if (EqualsIgnoreCase(name, "BODY.PEEK")) { kind = FetchAttributeKind.BodySection; peek = true; }
        else if (EqualsIgnoreCase(name, "BINARY")) kind = FetchAttributeKind.BinarySection;
        else if (EqualsIgnoreCase(name, "BINARY.PEEK")) { kind = FetchAttributeKind.BinarySection; peek = true; }
        else if (EqualsIgnoreCase(name, "BINARY.SIZE")) kind = FetchAttributeKind.BinarySize;
        else if (!FetchNames.TryGetSimple(name, out kind)) return Fail($"unknown fetch attribute {Ascii(name)}");
        var needsSection = kind is FetchAttributeKind.BodySection or FetchAttributeKind.BinarySection or FetchAttributeKind.BinarySize;
        if (!needsSection)
        {
            if (hasSection) return Fail($"{Ascii(name)} takes no section");
            attribute = new FetchAttribute(kind);
            return ParseStatus.Ok;
        }
        if (!hasSection) return Fail($"{Ascii(name)} needs a section");
        _r.Advance(1);
        if ((s = TryReadSection(kind != FetchAttributeKind.BodySection, out var section)) != ParseStatus.Ok) return s;
        uint? origin = null;
        uint length = 0;
        if (kind != FetchAttributeKind.BinarySize)
        {
            if (!_r.TryPeek(out next)) return NeedMore();
            if (next == '<')
            {
                _r.Advance(1);
                if ((s = TryReadNumber(out var o)) != ParseStatus.Ok) return s;
                if (!responseForm)
                {
                    if ((s = TryReadByte((byte)'.', "'.' in partial")) != ParseStatus.Ok) return s;
                    if ((s = TryReadNzNumber(out length)) != ParseStatus.Ok) return s;
                }
                if ((s = TryReadByte((byte)'>', "'>'")) != ParseStatus.Ok) return s;
                origin = o;
            }
        }
        attribute = new FetchAttribute(kind) { Peek = peek, Section = section, PartialOrigin = origin, PartialLength = length };
        return ParseStatus.Ok;
    }

    /// <summary>section-spec after "[" up to and including "]"; for BINARY only a section-part is allowed.</summary>
    private ParseStatus TryReadSection(bool partOnly, out BodySection section)
    {
        section = null!;
        var parts = new List<uint>();
        var text = SectionText.None;
        var fields = new List<string>();
        if (!_r.TryPeek(out var b)) return NeedMore();
        ParseStatus s;
        while (b >= '0' && b <= '9')
        {
            if ((s = TryReadNzNumber(out var part)) != ParseStatus.Ok) return s;
            parts.Add(part);
            if (!_r.TryPeek(out b)) return NeedMore();
            if (b != '.') break;
            _r.Advance(1);
            if (!_r.TryPeek(out b)) return NeedMore();
            if (b == ']') return Fail("section part ends with '.'");
        }
        if (b != ']')
        {
            if (partOnly) return Fail("a BINARY section is only part numbers");
            if ((s = TryReadToken(FetchNameChars, "section text", out var word)) != ParseStatus.Ok) return s;
            text = EqualsIgnoreCase(word, "HEADER") ? SectionText.Header
                : EqualsIgnoreCase(word, "HEADER.FIELDS") ? SectionText.HeaderFields
                : EqualsIgnoreCase(word, "HEADER.FIELDS.NOT") ? SectionText.HeaderFieldsNot
                : EqualsIgnoreCase(word, "TEXT") ? SectionText.Text
                : EqualsIgnoreCase(word, "MIME") && parts.Count > 0 ? SectionText.Mime
                : (SectionText)(-1);
            if ((int)text < 0) return Fail($"bad section text {Ascii(word)}");
            if (text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
            {
                if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
                if ((s = TryReadByte((byte)'(', "'(' of header list")) != ParseStatus.Ok) return s;
                while (true)
                {
                    if ((s = TryReadAstring(out string field)) != ParseStatus.Ok) return s;
                    fields.Add(field);
                    if (!_r.TryPeek(out b)) return NeedMore();
                    if (b == ')') { _r.Advance(1); break; }
                    if ((s = TryReadSpace()) != ParseStatus.Ok) return s;
                    if (CountValue() != ParseStatus.Ok) return ParseStatus.Error;
                }
            }
        }
        if ((s = TryReadByte((byte)']', "']'")) != ParseStatus.Ok) return s;
        section = new BodySection { Part = parts, Text = text, Fields = fields };
        return ParseStatus.Ok;
    }
}

/// <summary>The fetch item names that take no section.</summary>
internal static class FetchNames
{
    public static bool TryGetSimple(in ReadOnlySequence<byte> name, out FetchAttributeKind kind)
    {
        kind = ImapReader.EqualsIgnoreCase(name, "ENVELOPE") ? FetchAttributeKind.Envelope
            : ImapReader.EqualsIgnoreCase(name, "FLAGS") ? FetchAttributeKind.Flags
            : ImapReader.EqualsIgnoreCase(name, "INTERNALDATE") ? FetchAttributeKind.InternalDate
            : ImapReader.EqualsIgnoreCase(name, "RFC822") ? FetchAttributeKind.Rfc822
            : ImapReader.EqualsIgnoreCase(name, "RFC822.HEADER") ? FetchAttributeKind.Rfc822Header
            : ImapReader.EqualsIgnoreCase(name, "RFC822.SIZE") ? FetchAttributeKind.Rfc822Size
            : ImapReader.EqualsIgnoreCase(name, "RFC822.TEXT") ? FetchAttributeKind.Rfc822Text
            : ImapReader.EqualsIgnoreCase(name, "BODYSTRUCTURE") ? FetchAttributeKind.BodyStructure
            : ImapReader.EqualsIgnoreCase(name, "UID") ? FetchAttributeKind.Uid
            : ImapReader.EqualsIgnoreCase(name, "MODSEQ") ? FetchAttributeKind.ModSeq
            : (FetchAttributeKind)(-1);
        return (int)kind >= 0;
    }
}
