using System.Text;

namespace ImapProxy.Protocol;

/// <summary>The search keys of RFC 3501 §6.4.4 / RFC 9051 §6.4.4, plus MODSEQ (RFC 7162) and YOUNGER/OLDER (RFC 5032).</summary>
public enum SearchKeyKind
{
    /// <summary>All keys in <see cref="SearchKey.Children"/> match: the top level, and "(" key *(SP key) ")".</summary>
    And,
#pragma warning disable CS1591 // the RFC's key names
    All, Answered, Bcc, Before, Body, Cc, Deleted, Draft, Flagged, From, Header, Keyword, Larger, New, Not, Old, On,
    Or, Recent, Seen, SentBefore, SentOn, SentSince, Since, Smaller, Subject, Text, To, Uid, Unanswered, Undeleted,
    Undraft, Unflagged, Unkeyword, Unseen, SequenceSet, ModSeq, Younger, Older,
#pragma warning restore CS1591
}

/// <summary>A node of a SEARCH criteria tree.</summary>
public sealed class SearchKey
{
    /// <summary>Creates a key.</summary>
    public SearchKey(SearchKeyKind kind) => Kind = kind;

    /// <summary>What the key tests.</summary>
    public SearchKeyKind Kind { get; }

    /// <summary>The string of BCC, BODY, CC, FROM, SUBJECT, TEXT, TO; the value of HEADER; the keyword of
    /// KEYWORD/UNKEYWORD; the entry name of MODSEQ (or null).</summary>
    public string? Value { get; init; }

    /// <summary>The field name of HEADER; the entry type (priv, shared, all) of MODSEQ.</summary>
    public string? Field { get; init; }

    /// <summary>The date of BEFORE, ON, SINCE, SENTBEFORE, SENTON, SENTSINCE.</summary>
    public DateOnly Date { get; init; }

    /// <summary>The size of LARGER/SMALLER, the mod-sequence of MODSEQ, the seconds of YOUNGER/OLDER.</summary>
    public ulong Number { get; init; }

    /// <summary>The set of UID or of a bare sequence set.</summary>
    public SequenceSet? Set { get; init; }

    /// <summary>The operands of AND (any count), OR (two) and NOT (one).</summary>
    public IReadOnlyList<SearchKey> Children { get; init; } = [];

    /// <summary>The key in IMAP syntax (strings quoted; a top-level AND is written without parentheses).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb, topLevel: true);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, bool topLevel)
    {
        switch (Kind)
        {
            case SearchKeyKind.And:
                if (!topLevel) sb.Append('(');
                for (var i = 0; i < Children.Count; i++)
                {
                    if (i > 0) sb.Append(' ');
                    Children[i].Write(sb, false);
                }
                if (!topLevel) sb.Append(')');
                return;
            case SearchKeyKind.SequenceSet:
                sb.Append(Set);
                return;
        }
        sb.Append(Kind.ToString().ToUpperInvariant());
        switch (Kind)
        {
            case SearchKeyKind.Bcc or SearchKeyKind.Body or SearchKeyKind.Cc or SearchKeyKind.From
                or SearchKeyKind.Subject or SearchKeyKind.Text or SearchKeyKind.To:
                sb.Append(' ').Append(Quote(Value!));
                break;
            case SearchKeyKind.Keyword or SearchKeyKind.Unkeyword:
                sb.Append(' ').Append(Value);
                break;
            case SearchKeyKind.Header:
                sb.Append(' ').Append(Quote(Field!)).Append(' ').Append(Quote(Value!));
                break;
            case SearchKeyKind.Before or SearchKeyKind.On or SearchKeyKind.Since or SearchKeyKind.SentBefore
                or SearchKeyKind.SentOn or SearchKeyKind.SentSince:
                sb.Append(' ').Append(ImapDate.FormatDate(Date));
                break;
            case SearchKeyKind.Larger or SearchKeyKind.Smaller or SearchKeyKind.Younger or SearchKeyKind.Older:
                sb.Append(' ').Append(Number);
                break;
            case SearchKeyKind.ModSeq:
                if (Value is not null) sb.Append(' ').Append(Quote(Value)).Append(' ').Append(Field);
                sb.Append(' ').Append(Number);
                break;
            case SearchKeyKind.Uid:
                sb.Append(' ').Append(Set);
                break;
            case SearchKeyKind.Not or SearchKeyKind.Or:
                foreach (var child in Children)
                {
                    sb.Append(' ');
                    child.Write(sb, false);
                }
                break;
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>The arguments of SEARCH: RETURN options (ESEARCH, RFC 4731), CHARSET, and the criteria.</summary>
public sealed class SearchProgram
{
    /// <summary>The RETURN options upper-cased (MIN, MAX, ALL, COUNT, SAVE, …), or null when RETURN was absent.
    /// An empty list means "RETURN ()", i.e. ALL.</summary>
    public IReadOnlyList<string>? Return { get; init; }

    /// <summary>The CHARSET, or null.</summary>
    public string? Charset { get; init; }

    /// <summary>The criteria: an AND of the top-level keys.</summary>
    public required SearchKey Criteria { get; init; }
}
