namespace ImapProxy.Protocol;

/// <summary>A LIST, LSUB or XLIST response.</summary>
public sealed class ListResponse
{
    /// <summary>The mailbox attributes (\HasNoChildren, \Noselect, \Sent, …) as sent.</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>The hierarchy delimiter, or null for NIL (flat).</summary>
    public char? Delimiter { get; init; }

    /// <summary>The decoded mailbox name (modified UTF-7 decoded, INBOX normalized); the raw name when it could
    /// not be decoded (see <see cref="NameIsValid"/>).</summary>
    public required string Mailbox { get; init; }

    /// <summary>The name as sent on the wire.</summary>
    public required string EncodedName { get; init; }

    /// <summary>False when the server sent a name that is not valid modified UTF-7.</summary>
    public bool NameIsValid { get; init; }

    /// <summary>Extended data items (RFC 5258), e.g. CHILDINFO ("SUBSCRIBED"), OLDNAME ("x"), by upper-cased tag.</summary>
    public IReadOnlyList<KeyValuePair<string, ImapValue>> Extended { get; init; } = [];

    /// <summary>True when <paramref name="attribute"/> is present (case-insensitive).</summary>
    public bool Has(string attribute) => Attributes.Any(a => string.Equals(a, attribute, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A STATUS response.</summary>
public sealed class StatusResponse
{
    /// <summary>The decoded mailbox name.</summary>
    public required string Mailbox { get; init; }

    /// <summary>The items by upper-cased name (MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, RECENT, HIGHESTMODSEQ, SIZE…).</summary>
    public required IReadOnlyDictionary<string, ulong> Items { get; init; }

    /// <summary>An item, or null when absent.</summary>
    public ulong? this[string item] => Items.TryGetValue(item, out var v) ? v : null;
}

/// <summary>An ESEARCH response (RFC 4731).</summary>
public sealed class ESearchResponse
{
    /// <summary>The tag of the command this answers, or null.</summary>
    public string? Tag { get; init; }

    /// <summary>True when the numbers are UIDs.</summary>
    public bool Uid { get; init; }

    /// <summary>MIN, or null.</summary>
    public uint? Min { get; init; }

    /// <summary>MAX, or null.</summary>
    public uint? Max { get; init; }

    /// <summary>COUNT, or null.</summary>
    public ulong? Count { get; init; }

    /// <summary>ALL, or null.</summary>
    public SequenceSet? All { get; init; }

    /// <summary>MODSEQ (RFC 7162), or null.</summary>
    public ulong? ModSeq { get; init; }
}

/// <summary>A VANISHED response (RFC 7162).</summary>
public sealed class VanishedResponse
{
    /// <summary>True for VANISHED (EARLIER).</summary>
    public bool Earlier { get; init; }

    /// <summary>The expunged UIDs.</summary>
    public required SequenceSet Uids { get; init; }
}

/// <summary>One namespace of a NAMESPACE response.</summary>
public sealed record NamespaceEntry(string Prefix, char? Delimiter);

/// <summary>A NAMESPACE response (RFC 2342).</summary>
public sealed class NamespaceResponse
{
    /// <summary>Personal namespaces.</summary>
    public required IReadOnlyList<NamespaceEntry> Personal { get; init; }

    /// <summary>Other users' namespaces.</summary>
    public required IReadOnlyList<NamespaceEntry> OtherUsers { get; init; }

    /// <summary>Shared namespaces.</summary>
    public required IReadOnlyList<NamespaceEntry> Shared { get; init; }
}
