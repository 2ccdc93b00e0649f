using System.Text;

namespace ImapProxy.Server.Sort;

/// <summary>
/// The i;unicode-casemap collation (RFC 5051), which SORT and THREAD must use: RFC 5256 §1 requires collation
/// per I18NLEVEL=1 (RFC 5255 §4.1), whose default comparator this is. Each character is titlecased and then fully
/// canonically decomposed; the results compare as UTF-8 octets (code point order).
/// </summary>
internal static class UnicodeCasemap
{
    /// <summary>Orders two keys made by <see cref="Key"/> by code point, which is UTF-8 octet order
    /// (plain ordinal comparison of UTF-16 would put U+E000–U+FFFF before astral characters).</summary>
    public static readonly IComparer<string> Comparer = Comparer<string>.Create(CompareKeys);

    /// <summary>The "titlecased canonicalized" form of RFC 5051 §2 that equality and order are taken on.</summary>
    public static string Key(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
        {
            return text.ToUpperInvariant();
        }
        var key = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            AppendDecomposed(key, Titlecase(rune).Value);
        }
        return key.ToString();
    }

    /// <summary>Full canonical decomposition of one code point. The table is ours because the process runs with
    /// InvariantGlobalization, where <see cref="string.Normalize()"/> leaves non-ASCII text alone.</summary>
    private static void AppendDecomposed(StringBuilder key, int codePoint)
    {
        const int HangulBase = 0xAC00, HangulCount = 11172, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
        if (codePoint is >= HangulBase and < HangulBase + HangulCount)
        {
            // Unicode §3.12: Hangul syllables decompose arithmetically into two or three jamo.
            var index = codePoint - HangulBase;
            key.Append((char)(LBase + index / (21 * 28))).Append((char)(VBase + index % (21 * 28) / 28));
            if (index % 28 != 0)
            {
                key.Append((char)(TBase + index % 28));
            }
            return;
        }
        if (Decompositions.Value.TryGetValue(codePoint, out var parts))
        {
            key.Append(parts);
            return;
        }
        key.Append(new Rune(codePoint).ToString());
    }

    private static readonly Lazy<Dictionary<int, string>> Decompositions = new(LoadDecompositions);

    /// <summary>Reads CanonicalDecompositions.txt (made by scripts/gen-canonical-decompositions).</summary>
    private static Dictionary<int, string> LoadDecompositions()
    {
        using var stream = typeof(UnicodeCasemap).Assembly.GetManifestResourceStream("CanonicalDecompositions.txt")
            ?? throw new InvalidOperationException("CanonicalDecompositions.txt is not embedded");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var decomposed = new StringBuilder();
            foreach (var part in line[(colon + 1)..].Split(' '))
            {
                decomposed.Append(new Rune(Convert.ToInt32(part, 16)).ToString());
            }
            table[Convert.ToInt32(line[..colon], 16)] = decomposed.ToString();
        }
        return table;
    }

    /// <summary>Simple titlecase mapping. It equals the uppercase one except for the four Latin digraph triples,
    /// whose titlecase is the mixed form (U+01C5 "Dž", not U+01C4 "DŽ").</summary>
    private static Rune Titlecase(Rune rune) => rune.Value switch
    {
        >= 0x01C4 and <= 0x01C6 => new Rune(0x01C5),
        >= 0x01C7 and <= 0x01C9 => new Rune(0x01C8),
        >= 0x01CA and <= 0x01CC => new Rune(0x01CB),
        >= 0x01F1 and <= 0x01F3 => new Rune(0x01F2),
        _ => Rune.ToUpperInvariant(rune),
    };

    private static int CompareKeys(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }
        // Fast path: up to the first differing UTF-16 unit both strings hold the same runes, and two units that
        // are not surrogates compare as their code points. A prefix sorts first, as it does by runes.
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }
        if (!char.IsSurrogate(a[common]) && !char.IsSurrogate(b[common]))
        {
            return a[common].CompareTo(b[common]);
        }
        return CompareRunes(a, b);
    }

    /// <summary>Rune by rune (an unpaired surrogate is U+FFFD, as <see cref="string.EnumerateRunes"/> reads it).</summary>
    internal static int CompareRunes(string a, string b)
    {
        var x = a.EnumerateRunes();
        var y = b.EnumerateRunes();
        while (true)
        {
            var hasX = x.MoveNext();
            var hasY = y.MoveNext();
            if (!hasX || !hasY)
            {
                return hasX.CompareTo(hasY);
            }
            var order = x.Current.Value.CompareTo(y.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
