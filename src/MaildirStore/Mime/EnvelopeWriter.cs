using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// Builds the IMAP ENVELOPE (RFC 3501 §7.4.2) from a message's raw header fields. When a field repeats, the last
/// one counts; Sender and Reply-To default to From. Strings are written the way Dovecot 2.3 writes them.
/// </summary>
public static class EnvelopeWriter
{
    /// <summary>ENVELOPE wire syntax without the surrounding parentheses.</summary>
    public static byte[] Write(IReadOnlyList<HeaderField> fields) => Append(new StringBuilder(), fields).ToWireBytes();

    internal static StringBuilder Append(StringBuilder sb, IReadOnlyList<HeaderField>? fields)
    {
        if (fields is null)
        {
            return sb.Append("NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL");
        }
        string? date = null, subject = null, messageId = null, inReplyTo = null;
        List<EnvelopeAddress>? from = null, sender = null, replyTo = null, to = null, cc = null, bcc = null;
        foreach (var field in fields)
        {
            // Compared in place: lower-casing every field name allocated a string per header line.
            var name = field.Name;
            if (Is(name, "date")) date = field.RawValue;
            else if (Is(name, "subject")) subject = field.RawValue;
            else if (Is(name, "message-id")) messageId = field.RawValue;
            else if (Is(name, "in-reply-to")) inReplyTo = field.RawValue;
            else if (Is(name, "from")) AddAddresses(ref from, field.RawValue);
            else if (Is(name, "sender")) AddAddresses(ref sender, field.RawValue);
            else if (Is(name, "reply-to")) AddAddresses(ref replyTo, field.RawValue);
            else if (Is(name, "to")) AddAddresses(ref to, field.RawValue);
            else if (Is(name, "cc")) AddAddresses(ref cc, field.RawValue);
            else if (Is(name, "bcc")) AddAddresses(ref bcc, field.RawValue);
        }
        var fromList = from;
        sb.AppendNString(Unfold(date)).Append(' ');
        if (subject is null)
        {
            sb.Append("NIL");
        }
        else
        {
            sb.AppendStringForHumans(subject);
        }
        sb.Append(' ');
        AppendAddresses(sb, fromList).Append(' ');
        AppendAddresses(sb, sender ?? fromList).Append(' ');
        AppendAddresses(sb, replyTo ?? fromList).Append(' ');
        AppendAddresses(sb, to).Append(' ');
        AppendAddresses(sb, cc).Append(' ');
        AppendAddresses(sb, bcc).Append(' ');
        sb.AppendNString(Unfold(inReplyTo)).Append(' ');
        return sb.AppendNString(Unfold(messageId));
    }

    private static bool Is(string name, string lowerCase) =>
        name.Length == lowerCase.Length && name.Equals(lowerCase, StringComparison.OrdinalIgnoreCase);

    private static string? Unfold(string? value) => value is null ? null : new HeaderField("", value).UnfoldedValue;

    /// <summary>A repeated address field adds to the list (as Dovecot 2.3 does); an empty one adds nothing.</summary>
    private static void AddAddresses(ref List<EnvelopeAddress>? list, string value)
    {
        var parsed = AddressParser.Parse(value);
        if (parsed.Count > 0)
        {
            (list ??= []).AddRange(parsed);
        }
    }

    private static StringBuilder AppendAddresses(StringBuilder sb, IReadOnlyList<EnvelopeAddress>? list)
    {
        if (list is null)
        {
            return sb.Append("NIL");
        }
        sb.Append('(');
        foreach (var a in list)
        {
            sb.Append('(');
            if (a.Name is null)
            {
                sb.Append("NIL");
            }
            else
            {
                sb.AppendStringForHumans(a.Name);
            }
            sb.Append(' ').AppendNString(a.Route);
            sb.Append(' ').AppendNString(a.Mailbox);
            sb.Append(' ').AppendNString(a.Domain).Append(')');
        }
        return sb.Append(')');
    }
}
