using System.Collections;
using System.Collections.Immutable;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// An immutable set of IMAP flags and keywords (<c>\Seen</c>, <c>$Forwarded</c>, ...), compared
/// case-insensitively as RFC 9051 §2.3.2 requires. <c>\Recent</c> is session state, never synchronised, and is dropped.
/// </summary>
public sealed class FlagSet : IEquatable<FlagSet>, IReadOnlyCollection<string>
{
    private readonly ImmutableSortedSet<string> _flags;

    /// <summary>The empty set.</summary>
    public static FlagSet Empty { get; } = new(ImmutableSortedSet.Create<string>(StringComparer.OrdinalIgnoreCase));

    private FlagSet(ImmutableSortedSet<string> flags) => _flags = flags;

    // One shared instance per lone system flag: a listing of a large folder is mostly "\Seen" or nothing, and a set
    // per message (three objects each) was megabytes of an initial sync's peak. Sets are immutable, so sharing is safe.
    private static readonly FlagSet[] LoneSystemFlags = [.. new[] { @"\Seen", @"\Flagged", @"\Answered", @"\Deleted", @"\Draft" }
        .Select(f => new FlagSet(ImmutableSortedSet.Create<string>(StringComparer.OrdinalIgnoreCase, f)))];

    /// <summary>Builds a set from flag names; blanks and <c>\Recent</c> are ignored.</summary>
    public static FlagSet Of(IEnumerable<string> flags)
    {
        var builder = ImmutableSortedSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var flag in flags)
        {
            if (!string.IsNullOrWhiteSpace(flag) && !flag.Equals(@"\Recent", StringComparison.OrdinalIgnoreCase))
            {
                builder.Add(flag.Trim());
            }
        }
        if (builder.Count == 0)
        {
            return Empty;
        }
        if (builder.Count == 1)
        {
            foreach (var lone in LoneSystemFlags)
            {
                if (builder.Contains(lone._flags.Min!))
                {
                    return lone;
                }
            }
        }
        return new FlagSet(builder.ToImmutable());
    }

    /// <summary>Builds a set from flag names.</summary>
    public static FlagSet Of(params string[] flags) => Of((IEnumerable<string>)flags);

    /// <summary>Parses the space-separated form written by <see cref="ToString"/>.</summary>
    public static FlagSet Parse(string? text) =>
        string.IsNullOrEmpty(text) ? Empty : Of(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Number of flags.</summary>
    public int Count => _flags.Count;

    /// <summary>True when no flag is set.</summary>
    public bool IsEmpty => _flags.Count == 0;

    /// <summary>True when <paramref name="flag"/> is in the set (case-insensitive).</summary>
    public bool Contains(string flag) => _flags.Contains(flag);

    /// <summary>The flags in either set.</summary>
    public FlagSet Union(FlagSet other) => other.IsEmpty ? this : IsEmpty ? other : new(_flags.Union(other._flags));

    /// <summary>The flags of this set that are not in <paramref name="other"/>.</summary>
    public FlagSet Except(FlagSet other) => other.IsEmpty || IsEmpty ? this : new(_flags.Except(other._flags));

    /// <summary>The flags in both sets.</summary>
    public FlagSet Intersect(FlagSet other) => new(_flags.Intersect(other._flags));

    /// <inheritdoc />
    public bool Equals(FlagSet? other) => other is not null && _flags.SetEquals(other._flags);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FlagSet);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var flag in _flags)
        {
            hash ^= StringComparer.OrdinalIgnoreCase.GetHashCode(flag);
        }
        return hash;
    }

    /// <summary>Space-separated flags in sorted order (the form stored in the sync state).</summary>
    public override string ToString() => string.Join(' ', _flags);

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => _flags.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
