using System.Text;

namespace ImapProxy.Protocol;

public sealed partial class ImapWriter
{
    /// <summary>A sequence set or uid set.</summary>
    public ImapWriter SequenceSet(SequenceSet set) => Raw(set.ToString());

    /// <summary>A mailbox name: modified UTF-7 (or UTF-8 under <see cref="ImapWriterOptions.Utf8"/>) as an astring.</summary>
    public ImapWriter Mailbox(string name)
    {
        name = MailboxName.NormalizeInbox(name);
        return Options.Utf8 ? Astring(Encoding.UTF8.GetBytes(name)) : Astring(MailboxName.EncodeUtf7(name));
    }

    /// <summary>A date for SEARCH, e.g. <c>1-Feb-1994</c>.</summary>
    public ImapWriter Date(DateOnly date) => Raw(ImapDate.FormatDate(date));

    /// <summary>A quoted date-time, e.g. <c>"17-Jul-1996 02:44:25 -0700"</c>.</summary>
    public ImapWriter DateTime(DateTimeOffset value) => Raw("\"").Raw(ImapDate.FormatDateTime(value)).Raw("\"");

    /// <summary>A flag list: <c>(\Seen $Forwarded)</c>.</summary>
    public ImapWriter FlagList(IEnumerable<string> flags)
    {
        BeginList();
        var first = true;
        foreach (var flag in flags)
        {
            if (!first) Space();
            first = false;
            Raw(flag);
        }
        return EndList();
    }

    /// <summary>Writes a generic value back in IMAP syntax (lists recursively; atoms as they are; strings quoted
    /// or as literals as needed).</summary>
    public ImapWriter Value(in ImapValue value)
    {
        switch (value.Kind)
        {
            case ImapValueKind.Nil: return Nil();
            case ImapValueKind.Atom: return Raw(value.Bytes.Span);
            case ImapValueKind.List:
                BeginList();
                for (var i = 0; i < value.Items.Count; i++)
                {
                    if (i > 0) Space();
                    Value(value.Items[i]);
                }
                return EndList();
            default: return String(value.Bytes.Span);
        }
    }
}
