using System.Text;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

/// <summary>Reads the Message-ID out of a <c>BODY[HEADER.FIELDS (MESSAGE-ID)]</c> answer.</summary>
internal static class ImapMessageHeaders
{
    /// <summary>
    /// The last Message-ID field's value, unfolded and normalised like the store's (<see cref="MessageIds"/>), so
    /// both sides compare equal; null when there is none. Bytes are read as Latin-1, as the store reads headers.
    /// </summary>
    public static string? MessageId(ReadOnlySpan<byte> header)
    {
        string? found = null;
        var text = Encoding.Latin1.GetString(header);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line[..colon].Trim().Equals("Message-ID", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var value = new StringBuilder(line[(colon + 1)..]);
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && lines[i + 1][0] is ' ' or '\t')
            {
                value.Append(lines[++i].TrimEnd('\r'));
            }
            found = value.ToString();
        }
        return MessageIds.Normalize(found);
    }
}
