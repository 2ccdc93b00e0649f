namespace ImapProxy.Server.Search;

/// <summary>One node of a parsed SEARCH program (RFC 3501 §6.4.4).</summary>
internal abstract class SearchKey
{
    /// <summary>The key needs the message's header or body, not just the index.</summary>
    public virtual bool NeedsContent => false;

    public abstract bool Matches(SearchMessage message);
}

internal sealed class AllKey : SearchKey
{
    public override bool Matches(SearchMessage message) => true;
}

internal sealed class AndKey(IReadOnlyList<SearchKey> keys) : SearchKey
{
    public IReadOnlyList<SearchKey> Keys { get; } = keys;

    public override bool NeedsContent => Keys.Any(k => k.NeedsContent);

    public override bool Matches(SearchMessage message)
    {
        // Index-only keys first: they are cheap and may spare reading the file.
        foreach (var key in Keys)
        {
            if (!key.NeedsContent && !key.Matches(message))
            {
                return false;
            }
        }
        foreach (var key in Keys)
        {
            if (key.NeedsContent && !key.Matches(message))
            {
                return false;
            }
        }
        return true;
    }
}

internal sealed class OrKey(SearchKey left, SearchKey right) : SearchKey
{
    public override bool NeedsContent => left.NeedsContent || right.NeedsContent;

    public override bool Matches(SearchMessage message) => left.Matches(message) || right.Matches(message);
}

internal sealed class NotKey(SearchKey inner) : SearchKey
{
    public override bool NeedsContent => inner.NeedsContent;

    public override bool Matches(SearchMessage message) => !inner.Matches(message);
}

/// <summary>A test on what the index knows: flags, size, dates, UIDs, sequence numbers, MODSEQ.</summary>
internal sealed class IndexKey(Func<SearchMessage, bool> test) : SearchKey
{
    public override bool Matches(SearchMessage message) => test(message);
}

/// <summary>A test that reads the message (header fields, body text, the Date: field).</summary>
internal sealed class ContentKey(Func<SearchMessage, bool> test) : SearchKey
{
    public override bool NeedsContent => true;

    public override bool Matches(SearchMessage message) => test(message);
}
