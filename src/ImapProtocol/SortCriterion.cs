namespace ImapProxy.Protocol;

/// <summary>The sort keys of RFC 5256 §3 (sort-key).</summary>
public enum SortKey
{
    /// <summary>INTERNALDATE and time.</summary>
    Arrival,

    /// <summary>The first mailbox of the first Cc address.</summary>
    Cc,

    /// <summary>The Date: header, or INTERNALDATE when it is missing or unparsable.</summary>
    Date,

    /// <summary>The first mailbox of the first From address.</summary>
    From,

    /// <summary>RFC822.SIZE.</summary>
    Size,

    /// <summary>The base subject (RFC 5256 §2.1).</summary>
    Subject,

    /// <summary>The first mailbox of the first To address.</summary>
    To,
}

/// <summary>One sort-criterion: ["REVERSE" SP] sort-key.</summary>
/// <param name="Key">The key.</param>
/// <param name="Reverse">True when REVERSE came before the key.</param>
public readonly record struct SortCriterion(SortKey Key, bool Reverse)
{
    /// <inheritdoc/>
    public override string ToString() => (Reverse ? "REVERSE " : "") + Key.ToString().ToUpperInvariant();
}

/// <summary>The threading algorithms of RFC 5256 §3 (thread-alg) this library names; others are read as
/// <see cref="ThreadAlgorithm.Other"/>.</summary>
public enum ThreadAlgorithm
{
    /// <summary>A thread-alg-ext atom this library does not know.</summary>
    Other,

    /// <summary>ORDEREDSUBJECT: threads by base subject, children flat in date order.</summary>
    OrderedSubject,

    /// <summary>REFERENCES: threads by Message-ID, References and In-Reply-To, then by subject.</summary>
    References,
}
