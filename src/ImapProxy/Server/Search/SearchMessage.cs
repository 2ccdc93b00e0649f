using System.Text;
using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Search;

/// <summary>
/// One message under test. The file is read and parsed only when a content key asks, and the decoded texts are
/// kept for the other keys of the same program.
/// </summary>
internal sealed class SearchMessage
{
    private string? _headerText;
    private string? _bodyText;

    public SearchMessage(int sequenceNumber, MessageInfo info, bool recent)
    {
        SequenceNumber = sequenceNumber;
        Info = info;
        Recent = recent;
    }

    public int SequenceNumber { get; }

    public MessageInfo Info { get; }

    public bool Recent { get; }

    /// <summary>Set by the loader before content keys run.</summary>
    public byte[]? Raw { get; set; }

    public MimeStructure? Structure { get; set; }

    public IReadOnlyList<HeaderField> Fields => Structure?.Root.MessageFields ?? [];

    /// <summary>Values of the named header fields, RFC 2047-decoded.</summary>
    public IEnumerable<string> HeaderValues(string name) =>
        Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => EncodedWords.DecodeHeader(f.UnfoldedValue));

    /// <summary>The whole header, decoded, one field per line.</summary>
    public string HeaderText => _headerText ??= string.Join("\n", Fields.Select(f => f.Name + ": " + EncodedWords.DecodeHeader(f.UnfoldedValue)));

    /// <summary>The text of every text/* part, transfer-decoded and charset-decoded.</summary>
    public string BodyText => _bodyText ??= DecodeBodies();

    public DateTimeOffset? SentDate
    {
        get
        {
            var date = Fields.LastOrDefault(f => f.Name.Equals("Date", StringComparison.OrdinalIgnoreCase));
            return date.Name is null ? null : MessageDateParser.TryParse(date.RawValue);
        }
    }

    private string DecodeBodies()
    {
        if (Raw is null || Structure is null)
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var part in Structure.EnumerateParts())
        {
            if (part.IsMultipart || part.IsMessageRfc822 || (part.MediaType != "text" && part.Parent is not null))
            {
                continue;
            }
            long start = Math.Clamp(part.BodyOffset, 0, Raw.Length);
            long end = Math.Clamp(part.BodyOffset + part.BodyLength, start, Raw.Length);
            var decoded = TransferDecoding.Decode(Raw.AsSpan((int)start, (int)(end - start)), part.Content.TransferEncoding);
            text.Append(Charsets.Decode(decoded, part.Content.GetParameter("charset"))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Case-insensitive substring test, as RFC 3501 §6.4.4 asks.</summary>
    public static bool Contains(string haystack, string needle) => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);
}
