using System.Text;

namespace ImapProxy.Protocol;

/// <summary>One element of a sequence set: a number (Start == End) or a range. 0 stands for <c>*</c>.</summary>
public readonly record struct SequenceRange(uint Start, uint End)
{
    /// <summary>The value that stands for <c>*</c> (the largest number in use).</summary>
    public const uint Star = 0;

    /// <summary>The range with <c>*</c> replaced by <paramref name="largest"/> and the ends in order.</summary>
    public (uint Low, uint High) Resolve(uint largest)
    {
        var a = Start == Star ? largest : Start;
        var b = End == Star ? largest : End;
        return a <= b ? (a, b) : (b, a);
    }
}

/// <summary>
/// A sequence-set or uid-set (RFC 3501 §9, RFC 9051): numbers, ranges (either order), <c>*</c>, or <c>$</c> for
/// the saved search result (RFC 5182). Keeps ranges as written so that parse and write round-trip.
/// </summary>
public sealed class SequenceSet : IEquatable<SequenceSet>
{
    private readonly SequenceRange[] _ranges;

    /// <summary>Creates a set from ranges (0 stands for <c>*</c>).</summary>
    public SequenceSet(IEnumerable<SequenceRange> ranges)
    {
        _ranges = ranges.ToArray();
        if (_ranges.Length == 0) throw new ArgumentException("a sequence set needs at least one element", nameof(ranges));
    }

    private SequenceSet() => _ranges = [];

    /// <summary><c>$</c>: the result saved by the last SEARCH RETURN (SAVE).</summary>
    public static SequenceSet SavedResult { get; } = new();

    /// <summary><c>1:*</c>.</summary>
    public static SequenceSet All { get; } = new([new SequenceRange(1, SequenceRange.Star)]);

    /// <summary>True for <c>$</c>.</summary>
    public bool IsSavedResult => _ranges.Length == 0;

    /// <summary>The elements as written.</summary>
    public IReadOnlyList<SequenceRange> Ranges => _ranges;

    /// <summary>A set of one number.</summary>
    public static SequenceSet Single(uint number) => new([new SequenceRange(number, number)]);

    /// <summary>A compact set (runs become ranges) from numbers in any order; duplicates are dropped.</summary>
    public static SequenceSet FromNumbers(IEnumerable<uint> numbers)
    {
        var sorted = numbers.Distinct().Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no numbers", nameof(numbers));
        var ranges = new List<SequenceRange>();
        var start = sorted[0];
        var prev = start;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == prev + 1) { prev = sorted[i]; continue; }
            ranges.Add(new SequenceRange(start, prev));
            start = prev = sorted[i];
        }
        ranges.Add(new SequenceRange(start, prev));
        return new SequenceSet(ranges);
    }

    /// <summary>True when <paramref name="number"/> is in the set, <c>*</c> meaning <paramref name="largest"/>.</summary>
    public bool Contains(uint number, uint largest)
    {
        foreach (var range in _ranges)
        {
            var (low, high) = range.Resolve(largest);
            if (number >= low && number <= high) return true;
        }
        return false;
    }

    /// <summary>The ranges resolved against <paramref name="largest"/>, sorted and merged.</summary>
    public IReadOnlyList<(uint Low, uint High)> Normalize(uint largest)
    {
        var list = new List<(uint Low, uint High)>(_ranges.Length);
        foreach (var r in _ranges) list.Add(r.Resolve(largest));
        list.Sort();
        var merged = new List<(uint Low, uint High)>(list.Count);
        foreach (var r in list)
        {
            if (merged.Count > 0 && (ulong)r.Low <= (ulong)merged[^1].High + 1)
                merged[^1] = (merged[^1].Low, Math.Max(merged[^1].High, r.High));
            else
                merged.Add(r);
        }
        return merged;
    }

    /// <summary>Parses a sequence set from text.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out SequenceSet? set, out string? error)
    {
        set = null;
        if (text.Length == 1 && text[0] == '$') { set = SavedResult; error = null; return true; }
        var ranges = new List<SequenceRange>();
        var i = 0;
        while (true)
        {
            if (!TryNumber(text, ref i, out var start, out error)) return false;
            var end = start;
            if (i < text.Length && text[i] == ':')
            {
                i++;
                if (!TryNumber(text, ref i, out end, out error)) return false;
            }
            ranges.Add(new SequenceRange(start, end));
            if (i == text.Length) break;
            if (text[i] != ',') { error = $"unexpected '{(char)text[i]}' in sequence set"; return false; }
            i++;
        }
        set = new SequenceSet(ranges);
        return true;
    }

    /// <summary>Parses a sequence set from text; throws <see cref="FormatException"/> if malformed.</summary>
    public static SequenceSet Parse(string text) =>
        TryParse(Encoding.ASCII.GetBytes(text), out var set, out var error) ? set! : throw new FormatException(error);

    private static bool TryNumber(ReadOnlySpan<byte> text, ref int i, out uint value, out string? error)
    {
        value = 0;
        error = null;
        if (i < text.Length && text[i] == '*') { i++; return true; }
        var start = i;
        ulong v = 0;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9')
        {
            v = v * 10 + (ulong)(text[i] - '0');
            if (v > uint.MaxValue) { error = "number in sequence set out of range"; return false; }
            i++;
        }
        if (i == start) { error = "expected a number or '*' in sequence set"; return false; }
        if (text[start] == '0') { error = "sequence numbers start at 1"; return false; }
        value = (uint)v;
        return true;
    }

    /// <summary>The set as IMAP writes it.</summary>
    public override string ToString()
    {
        if (IsSavedResult) return "$";
        var sb = new StringBuilder();
        foreach (var r in _ranges)
        {
            if (sb.Length > 0) sb.Append(',');
            Append(sb, r.Start);
            if (r.End != r.Start) { sb.Append(':'); Append(sb, r.End); }
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, uint n)
    {
        if (n == SequenceRange.Star) sb.Append('*');
        else sb.Append(n);
    }

    /// <inheritdoc/>
    public bool Equals(SequenceSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SequenceSet);

    /// <inheritdoc/>
    public override int GetHashCode() => _ranges.Length == 0 ? 0 : HashCode.Combine(_ranges.Length, _ranges[0]);
}
