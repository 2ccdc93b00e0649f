using System.Globalization;
using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// Writes BODY and BODYSTRUCTURE (RFC 3501 §7.4.2) for a parsed part tree, with Dovecot 2.3's choices where the
/// RFC leaves room: type names as written in the message, charset us-ascii added to text parts without one,
/// "7bit" when no encoding is given, Content-* fields ignored on a top-level part without MIME-Version.
/// </summary>
public static class BodyStructureWriter
{
    private const string EmptyTextPart = "\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0";

    /// <summary>BODYSTRUCTURE (extended = true) or BODY (false) wire syntax, without the outer parentheses.</summary>
    public static byte[] Write(MimePart root, bool extended) => Append(new StringBuilder(), root, extended).ToWireBytes();

    internal static StringBuilder Append(StringBuilder sb, MimePart part, bool extended)
    {
        var data = part.IsMime ? part.Content : EmptyContent;
        if (part.Parent is null && IsPlain7BitText(part))
        {
            // Dovecot 2.3 stores such a message as a flag and writes the canonical form back, so the case of
            // "TEXT/PLAIN; charset=US-ASCII" and "7BIT" is not kept at the top level (it is in nested parts).
            sb.Append("\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" ")
              .Append(part.BodySize.ToString(CultureInfo.InvariantCulture)).Append(' ')
              .Append(part.BodyLines.ToString(CultureInfo.InvariantCulture));
            return extended ? sb.Append(" NIL NIL NIL NIL") : sb;
        }
        if (part.IsMultipart)
        {
            AppendMultipart(sb, part, data, extended);
        }
        else
        {
            AppendSinglePart(sb, part, data, extended);
        }
        return sb;
    }

    private static readonly ContentFields EmptyContent = new();

    /// <summary>text/plain; charset=us-ascii, 7bit, and no other MIME field (any case, defaults counted).</summary>
    private static bool IsPlain7BitText(MimePart part)
    {
        var c = part.IsMime ? part.Content : EmptyContent;
        if (part.IsMultipart || part.IsMessageRfc822)
        {
            return false;
        }
        bool text = c.Type is null || c.Type.Equals("text", StringComparison.OrdinalIgnoreCase);
        bool plain = c.Subtype is null || c.Subtype.Equals("plain", StringComparison.OrdinalIgnoreCase);
        bool asciiOnly = c.Parameters.Count == 0 || (c.Parameters.Count == 1
            && c.Parameters[0].Key.Equals("charset", StringComparison.OrdinalIgnoreCase)
            && c.Parameters[0].Value.Equals("us-ascii", StringComparison.OrdinalIgnoreCase));
        bool sevenBit = c.TransferEncoding is null || c.TransferEncoding.Equals("7bit", StringComparison.OrdinalIgnoreCase);
        return text && plain && asciiOnly && sevenBit && c.Id is null && c.Description is null && c.Md5 is null
            && c.Disposition is null && c.Languages is null && c.Location is null;
    }

    private static void AppendMultipart(StringBuilder sb, MimePart part, ContentFields data, bool extended)
    {
        if (part.Children.Count == 0)
        {
            // A multipart without parts is not allowed (RFC 2046 §5.1.1); show one empty text part instead.
            sb.Append('(').Append(EmptyTextPart).Append(extended ? " NIL NIL NIL NIL)" : ")");
        }
        foreach (var child in part.Children)
        {
            sb.Append('(');
            Append(sb, child, extended);
            sb.Append(')');
        }
        sb.Append(' ');
        if (data.Subtype is null)
        {
            sb.Append("\"x-unknown\"");
        }
        else
        {
            sb.AppendNString(data.Subtype);
        }
        if (!extended)
        {
            return;
        }
        sb.Append(' ');
        AppendParameters(sb, data.Parameters, defaultCharset: false);
        AppendCommonExtension(sb, data);
    }

    private static void AppendSinglePart(StringBuilder sb, MimePart part, ContentFields data, bool extended)
    {
        bool text;
        if (part.IsMessageRfc822)
        {
            sb.Append("\"message\" \"rfc822\"");
            text = false;
        }
        else
        {
            if (data.Type is null)
            {
                text = true;
                sb.Append("\"text\"");
            }
            else
            {
                text = data.Type.Equals("text", StringComparison.OrdinalIgnoreCase);
                sb.AppendNString(data.Type);
            }
            sb.Append(' ');
            if (data.Subtype is not null)
            {
                sb.AppendNString(data.Subtype);
            }
            else
            {
                sb.Append(text ? "\"plain\"" : "\"unknown\"");
            }
        }
        sb.Append(' ');
        AppendParameters(sb, data.Parameters, defaultCharset: text);
        sb.Append(' ').AppendNString(data.Id);
        sb.Append(' ').AppendNString(data.Description);
        sb.Append(' ');
        if (data.TransferEncoding is null)
        {
            sb.Append("\"7bit\"");
        }
        else
        {
            sb.AppendNString(data.TransferEncoding);
        }
        sb.Append(' ').Append(part.BodySize.ToString(CultureInfo.InvariantCulture));
        if (text)
        {
            sb.Append(' ').Append(part.BodyLines.ToString(CultureInfo.InvariantCulture));
        }
        else if (part.IsMessageRfc822 && part.Children.Count == 1)
        {
            var message = part.Children[0];
            sb.Append(" (");
            EnvelopeWriter.Append(sb, message.MessageFields);
            sb.Append(") (");
            Append(sb, message, extended);
            sb.Append(") ").Append(part.BodyLines.ToString(CultureInfo.InvariantCulture));
        }
        if (!extended)
        {
            return;
        }
        sb.Append(' ').AppendNString(data.Md5);
        AppendCommonExtension(sb, data);
    }

    private static void AppendParameters(StringBuilder sb, IReadOnlyList<KeyValuePair<string, string>> parameters, bool defaultCharset)
    {
        if (!defaultCharset && parameters.Count == 0)
        {
            sb.Append("NIL");
            return;
        }
        sb.Append('(');
        bool seenCharset = false;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            seenCharset |= parameters[i].Key.Equals("charset", StringComparison.OrdinalIgnoreCase);
            sb.AppendNString(parameters[i].Key).Append(' ').AppendNString(parameters[i].Value);
        }
        if (defaultCharset && !seenCharset)
        {
            if (parameters.Count > 0)
            {
                sb.Append(' ');
            }
            sb.Append("\"charset\" \"us-ascii\"");
        }
        sb.Append(')');
    }

    private static void AppendCommonExtension(StringBuilder sb, ContentFields data)
    {
        sb.Append(' ');
        if (data.Disposition is null)
        {
            sb.Append("NIL");
        }
        else
        {
            sb.Append('(').AppendNString(data.Disposition).Append(' ');
            AppendParameters(sb, data.DispositionParameters, defaultCharset: false);
            sb.Append(')');
        }
        sb.Append(' ');
        if (data.Languages is null)
        {
            sb.Append("NIL");
        }
        else
        {
            sb.Append('(');
            for (int i = 0; i < data.Languages.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }
                sb.AppendNString(data.Languages[i]);
            }
            sb.Append(')');
        }
        sb.Append(' ').AppendNString(data.Location);
    }
}
