using System.Globalization;
using ImapProxy.Protocol;
using System.Text;

namespace ImapProxy.Upstream.Client;

/// <summary>
/// A set of UIDs as ranges, in the order given, e.g. <c>1:100,205,300:*</c>. <see cref="uint.MaxValue"/> stands
/// for <c>*</c>. Kept as ranges so that 1:1000000 costs nothing.
/// </summary>
public sealed class UidSet
{
    private readonly List<(uint First, uint Last)> _ranges = [];

    /// <summary>An empty set.</summary>
    public UidSet() { }

    /// <summary>A set of the given UIDs (ranges merged for consecutive runs).</summary>
    public UidSet(IEnumerable<uint> uids)
    {
        foreach (var uid in uids) Add(uid);
    }

    /// <summary>The range first:last.</summary>
    public static UidSet Range(uint first, uint last) => new UidSet().AddRange(first, last);

    /// <summary>first:*.</summary>
    public static UidSet From(uint first) => Range(first, uint.MaxValue);

    /// <summary>The ranges, each First ≤ Last.</summary>
    public IReadOnlyList<(uint First, uint Last)> Ranges => _ranges;

    /// <summary>True when there is nothing in the set.</summary>
    public bool IsEmpty => _ranges.Count == 0;

    /// <summary>Number of UIDs (a range ending in * counts up to uint.MaxValue).</summary>
    public long Count => _ranges.Sum(r => (long)r.Last - r.First + 1);

    /// <summary>Adds one UID, extending the last range when consecutive.</summary>
    public UidSet Add(uint uid) => AddRange(uid, uid);

    /// <summary>Adds a range.</summary>
    public UidSet AddRange(uint first, uint last)
    {
        if (first > last) (first, last) = (last, first);
        if (_ranges.Count > 0 && _ranges[^1].Last != uint.MaxValue && _ranges[^1].Last + 1 == first && _ranges[^1].First <= first)
            _ranges[^1] = (_ranges[^1].First, last);
        else _ranges.Add((first, last));
        return this;
    }

    /// <summary>True when <paramref name="uid"/> is in the set.</summary>
    public bool Contains(uint uid)
    {
        foreach (var (first, last) in _ranges)
            if (uid >= first && uid <= last) return true;
        return false;
    }

    /// <summary>Each UID in order of the ranges; do not call on a set ending in *.</summary>
    public IEnumerable<uint> Enumerate()
    {
        foreach (var (first, last) in _ranges)
            for (var uid = (long)first; uid <= last; uid++) yield return (uint)uid;
    }

    /// <summary>Parses <c>sequence-set</c> (RFC 3501 §9) with ImapProtocol's parser; <c>*</c> becomes uint.MaxValue.</summary>
    public static bool TryParse(string? text, out UidSet set)
    {
        set = new UidSet();
        if (string.IsNullOrEmpty(text) || !SequenceSet.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var parsed, out _) || parsed!.IsSavedResult)
            return false;
        foreach (var range in parsed.Ranges)
        {
            var first = range.Start == SequenceRange.Star ? uint.MaxValue : range.Start;
            var last = range.End == SequenceRange.Star ? uint.MaxValue : range.End;
            set._ranges.Add((Math.Min(first, last), Math.Max(first, last)));
        }
        return true;
    }

    /// <summary>The wire form, e.g. <c>1:5,9,12:*</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (first, last) in _ranges)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(Format(first));
            if (last != first) sb.Append(':').Append(Format(last));
        }
        return sb.ToString();
    }

    private static string Format(uint n) => n == uint.MaxValue ? "*" : n.ToString(CultureInfo.InvariantCulture);
}
