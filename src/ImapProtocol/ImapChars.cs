using System.Buffers;

namespace ImapProxy.Protocol;

/// <summary>Character classes of the IMAP ABNF (RFC 3501 §9, RFC 9051 §9).</summary>
internal static class ImapChars
{
    private const string AtomCharsText =
        "!#$&'+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[^_`abcdefghijklmnopqrstuvwxyz|}~";

    /// <summary>ATOM-CHAR: any CHAR except atom-specials.</summary>
    public static readonly SearchValues<byte> Atom = SearchValues.Create(Bytes(AtomCharsText));

    /// <summary>ASTRING-CHAR: ATOM-CHAR or resp-specials ("]").</summary>
    public static readonly SearchValues<byte> Astring = SearchValues.Create(Bytes(AtomCharsText + "]"));

    /// <summary>tag: ASTRING-CHAR except "+".</summary>
    public static readonly SearchValues<byte> Tag = SearchValues.Create(Bytes(AtomCharsText.Replace("+", "") + "]"));

    /// <summary>list-char: ATOM-CHAR, list-wildcards or resp-specials.</summary>
    public static readonly SearchValues<byte> ListMailbox = SearchValues.Create(Bytes(AtomCharsText + "%*]"));

    /// <summary>The lenient token class of generic values: atoms, flags (\Seen, \*), wildcards and "]".</summary>
    public static readonly SearchValues<byte> GenericAtom = SearchValues.Create(Bytes(AtomCharsText + "%*]\\"));

    /// <summary>Characters of a sequence-set token.</summary>
    public static readonly SearchValues<byte> SequenceSet = SearchValues.Create(Bytes("0123456789:,*$"));

    /// <summary>Bytes that force a literal instead of a quoted string.</summary>
    public static readonly SearchValues<byte> NotQuotable = SearchValues.Create(Bytes("\r\n\0"));

    /// <summary>Quoted-specials that need a backslash inside a quoted string.</summary>
    public static readonly SearchValues<byte> QuotedSpecials = SearchValues.Create(Bytes("\"\\"));

    private static byte[] Bytes(string s)
    {
        var b = new byte[s.Length];
        for (var i = 0; i < s.Length; i++) b[i] = (byte)s[i];
        return b;
    }
}
