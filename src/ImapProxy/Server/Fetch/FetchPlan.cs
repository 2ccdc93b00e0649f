using System.Text;
using ImapProxy.Protocol;
using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Fetch;

/// <summary>
/// A FETCH's data items (parsed by the protocol library's <c>TryReadFetchAtts</c>) made ready to answer: each with
/// its response label pre-encoded and, for sections, the MIME section to cut; plus what the whole command needs
/// (cached summaries, message content, \Seen).
/// </summary>
internal sealed class FetchPlan
{
    private FetchPlan(List<PlannedItem> items)
    {
        Items = items;
        foreach (var item in items)
        {
            Summaries |= item.Kind switch
            {
                FetchAttributeKind.Envelope => SummaryParts.Envelope,
                FetchAttributeKind.BodyStructure => SummaryParts.BodyStructure,
                FetchAttributeKind.Body => SummaryParts.Body,
                _ => SummaryParts.None,
            };
            NeedsContent |= item.Section is not null;
            SetsSeen |= item.SetsSeen;
            HasModSeq |= item.Kind == FetchAttributeKind.ModSeq;
            HasUid |= item.Kind == FetchAttributeKind.Uid;
        }
    }

    public IReadOnlyList<PlannedItem> Items { get; }

    /// <summary>The cached parse results the items need.</summary>
    public SummaryParts Summaries { get; }

    /// <summary>Some item needs the message file (BODY[…], RFC822…).</summary>
    public bool NeedsContent { get; }

    /// <summary>Reading the body sets \Seen (RFC 3501 §6.4.5), except with .PEEK and RFC822.HEADER.</summary>
    public bool SetsSeen { get; }

    public bool HasModSeq { get; }

    public bool HasUid { get; }

    /// <summary>
    /// The plan for <paramref name="request"/>; UID FETCH always answers UID first (RFC 3501 §6.4.8), and
    /// CHANGEDSINCE adds MODSEQ (RFC 7162 §3.1.4.1).
    /// </summary>
    public static FetchPlan Create(FetchRequest request, bool byUid)
    {
        var items = request.Attributes.Select(Plan).ToList();
        if (byUid && !items.Any(i => i.Kind == FetchAttributeKind.Uid))
        {
            items.Insert(0, Plan(new FetchAttribute(FetchAttributeKind.Uid)));
        }
        if (request.ChangedSince is not null && !items.Any(i => i.Kind == FetchAttributeKind.ModSeq))
        {
            items.Add(Plan(new FetchAttribute(FetchAttributeKind.ModSeq)));
        }
        return new FetchPlan(items);
    }

    private static PlannedItem Plan(FetchAttribute attribute)
    {
        switch (attribute.Kind)
        {
            case FetchAttributeKind.BinarySection or FetchAttributeKind.BinarySize:
                throw new CommandSyntaxException("BINARY is not supported");
            case FetchAttributeKind.Rfc822:
                return new PlannedItem(attribute, "RFC822", SectionSpec.Full, SetsSeen: true);
            case FetchAttributeKind.Rfc822Header:
                return new PlannedItem(attribute, "RFC822.HEADER", new SectionSpec([], SectionKind.Header), SetsSeen: false);
            case FetchAttributeKind.Rfc822Text:
                return new PlannedItem(attribute, "RFC822.TEXT", new SectionSpec([], SectionKind.Text), SetsSeen: true);
            case FetchAttributeKind.BodySection:
                var section = attribute.Section!;
                var spec = new SectionSpec(section.Part.Select(p => (int)p).ToArray(), section.Text switch
                {
                    SectionText.Header => SectionKind.Header,
                    SectionText.HeaderFields => SectionKind.HeaderFields,
                    SectionText.HeaderFieldsNot => SectionKind.HeaderFieldsNot,
                    SectionText.Text => SectionKind.Text,
                    SectionText.Mime => SectionKind.Mime,
                    _ => SectionKind.Body,
                }, section.Fields);
                return new PlannedItem(attribute, SectionLabel(attribute), spec, SetsSeen: !attribute.Peek);
            default:
                return new PlannedItem(attribute, attribute.ResponseName, null, SetsSeen: false);
        }
    }

    /// <summary>The section as the response names it: field names upper case, as Dovecot 2.3 answers.</summary>
    private static string SectionLabel(FetchAttribute attribute)
    {
        var section = attribute.Section!;
        var upper = section with { Fields = section.Fields.Select(f => f.ToUpperInvariant()).ToArray() };
        return "BODY[" + upper + "]" + (attribute.PartialOrigin is { } origin ? $"<{origin}>" : "");
    }
}

/// <summary>One item of a <see cref="FetchPlan"/>.</summary>
internal sealed class PlannedItem
{
    public PlannedItem(FetchAttribute attribute, string label, SectionSpec? section, bool SetsSeen)
    {
        Attribute = attribute;
        LabelBytes = Encoding.ASCII.GetBytes(label);
        Section = section;
        this.SetsSeen = SetsSeen;
    }

    public FetchAttribute Attribute { get; }

    public FetchAttributeKind Kind => Attribute.Kind;

    /// <summary>The item's name in the response, e.g. <c>BODY[HEADER.FIELDS (FROM)]&lt;0&gt;</c>, as ASCII.</summary>
    public byte[] LabelBytes { get; }

    /// <summary>For BODY[…] and the RFC822 forms: what to cut from the message.</summary>
    public SectionSpec? Section { get; }

    public bool SetsSeen { get; }
}
