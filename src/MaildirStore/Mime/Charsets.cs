using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>Maps MIME charset names to decoders, with the code-page encodings (ISO-8859-*, Windows-125x, KOI8-R…).</summary>
public static class Charsets
{
    static Charsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The decoder for a MIME charset name, or null when the name is unknown.</summary>
    public static Encoding? TryGet(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        name = name.Trim().Trim('"');
        // RFC 2231 §5 allows "charset*language" in encoded-words.
        int star = name.IndexOf('*');
        if (star > 0)
        {
            name = name[..star];
        }
        try
        {
            var encoding = Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
            return encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Decodes bytes in the named charset; unknown charsets fall back to UTF-8 when valid, else Latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = TryGet(charset);
        if (encoding is not null)
        {
            return encoding.GetString(bytes);
        }
        return DecodeUnlabelled(bytes);
    }

    /// <summary>Bytes with no known charset: UTF-8 if they are valid UTF-8, otherwise Latin-1 (every byte maps).</summary>
    public static string DecodeUnlabelled(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }
        return Encoding.Latin1.GetString(bytes);
    }
}
