using System.Buffers;
using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Fetch;

/// <summary>
/// Cuts a section (RFC 3501 §6.4.5) out of a message file using the MIME part offsets, with line ends made CRLF
/// as IMAP counts them (Maildir files may use LF).
/// </summary>
internal static class SectionExtractor
{
    public static byte[] Extract(ReadOnlySpan<byte> raw, MimeStructure structure, SectionSpec spec)
    {
        if (spec.IsWholeMessage)
        {
            return ToCrlf(raw);
        }
        var part = spec.Part.Length == 0 ? structure.Root : structure.FindPart(spec.Part);
        if (part is null)
        {
            return [];
        }
        if (spec.Text.Length == 0)
        {
            return ToCrlf(Slice(raw, part.BodyOffset, part.BodyLength));
        }
        if (spec.Text == "MIME")
        {
            return ToCrlf(Slice(raw, part.HeaderOffset, part.HeaderLength));
        }
        // HEADER, HEADER.FIELDS[.NOT], TEXT address a message: the root, or the message inside a message/rfc822 part.
        var message = spec.Part.Length == 0 ? part : part.IsMessageRfc822 && part.Children.Count == 1 ? part.Children[0] : null;
        if (message is null)
        {
            return [];
        }
        var header = Slice(raw, message.HeaderOffset, message.HeaderLength);
        return spec.Text switch
        {
            "HEADER" => ToCrlf(header),
            "TEXT" => ToCrlf(Slice(raw, message.BodyOffset, message.BodyLength)),
            "HEADER.FIELDS" => FilterFields(header, spec.Fields, keep: true),
            _ => FilterFields(header, spec.Fields, keep: false),
        };
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> raw, long offset, long length)
    {
        long start = Math.Clamp(offset, 0, raw.Length);
        long end = Math.Clamp(offset + length, start, raw.Length);
        return raw[(int)start..(int)end];
    }

    /// <summary>The header fields named (or all but those named), then the blank line, as Dovecot answers.</summary>
    private static byte[] FilterFields(ReadOnlySpan<byte> header, string[] names, bool keep)
    {
        var output = new ArrayBufferWriter<byte>();
        bool including = false;
        int lineStart = 0;
        while (lineStart < header.Length)
        {
            int newline = header[lineStart..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? header.Length : lineStart + newline + 1;
            var line = header[lineStart..lineEnd];
            var content = line.TrimEnd("\r\n"u8);
            if (content.Length == 0)
            {
                break; // the blank line ending the header
            }
            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                int colon = content.IndexOf((byte)':');
                var name = colon < 0 ? "" : Encoding.ASCII.GetString(content[..colon]).TrimEnd();
                bool named = names.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                including = colon >= 0 && named == keep;
            }
            if (including)
            {
                output.Write(content);
                output.Write("\r\n"u8);
            }
            lineStart = lineEnd;
        }
        output.Write("\r\n"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Every bare LF becomes CRLF.</summary>
    public static byte[] ToCrlf(ReadOnlySpan<byte> bytes)
    {
        int bareLf = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))
            {
                bareLf++;
            }
        }
        if (bareLf == 0)
        {
            return bytes.ToArray();
        }
        var result = new byte[bytes.Length + bareLf];
        int o = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))
            {
                result[o++] = (byte)'\r';
            }
            result[o++] = bytes[i];
        }
        return result;
    }
}
