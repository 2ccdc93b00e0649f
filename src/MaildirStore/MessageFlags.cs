namespace ImapProxy.Store;

/// <summary>The IMAP system flags a Maildir file name can carry (RFC 3501 §2.3.2; \Recent is per session, not stored).</summary>
[Flags]
public enum MessageFlags
{
    /// <summary>No flag set.</summary>
    None = 0,
    /// <summary>\Seen (Maildir letter S).</summary>
    Seen = 1,
    /// <summary>\Answered (Maildir letter R).</summary>
    Answered = 2,
    /// <summary>\Flagged (Maildir letter F).</summary>
    Flagged = 4,
    /// <summary>\Deleted (Maildir letter T).</summary>
    Deleted = 8,
    /// <summary>\Draft (Maildir letter D).</summary>
    Draft = 16,
}

/// <summary>How <see cref="MailFolder.StoreFlagsAsync"/> combines the given flags with a message's current ones.</summary>
public enum FlagChangeMode
{
    /// <summary>Replace the flags and keywords (IMAP <c>FLAGS</c>).</summary>
    Replace,
    /// <summary>Add the flags and keywords (IMAP <c>+FLAGS</c>).</summary>
    Add,
    /// <summary>Remove the flags and keywords (IMAP <c>-FLAGS</c>).</summary>
    Remove,
}
