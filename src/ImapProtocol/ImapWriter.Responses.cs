namespace ImapProxy.Protocol;

public sealed partial class ImapWriter
{
    /// <summary>A status response line: <c>tag OK [code] text</c>, or untagged (<c>*</c>) when
    /// <paramref name="tag"/> is null; CRLF included.</summary>
    /// <param name="tag">The tag, or null for an untagged response.</param>
    /// <param name="status">OK, NO, BAD, BYE or PREAUTH.</param>
    /// <param name="code">The response code without brackets (e.g. <c>UIDVALIDITY 5</c>), or null.</param>
    /// <param name="text">Human-readable text; CR and LF are replaced by spaces.</param>
    public ImapWriter StatusResponse(string? tag, ImapStatus status, string? code, string text)
    {
        if (status == ImapStatus.None) throw new ArgumentException("a status response needs a status", nameof(status));
        Raw(tag ?? "*").Space().Raw(status switch
        {
            ImapStatus.Ok => "OK"u8,
            ImapStatus.No => "NO"u8,
            ImapStatus.Bad => "BAD"u8,
            ImapStatus.Bye => "BYE"u8,
            _ => "PREAUTH"u8,
        });
        if (code is not null) Space().Raw("[").Raw(code).Raw("]");
        return Space().Raw(text.Replace('\r', ' ').Replace('\n', ' ')).Crlf();
    }

    /// <summary>A continuation request <c>+ text</c> CRLF.</summary>
    public ImapWriter Continuation(string text = "Ready") => Raw("+ ").Raw(text.Replace('\r', ' ').Replace('\n', ' ')).Crlf();

    /// <summary>A search key in IMAP syntax, strings as astrings (quoted or literal as needed).</summary>
    public ImapWriter SearchKey(SearchKey key, bool topLevel = true)
    {
        switch (key.Kind)
        {
            case SearchKeyKind.And:
                if (!topLevel) BeginList();
                for (var i = 0; i < key.Children.Count; i++)
                {
                    if (i > 0) Space();
                    SearchKey(key.Children[i], false);
                }
                return topLevel ? this : EndList();
            case SearchKeyKind.SequenceSet:
                return SequenceSet(key.Set!);
        }
        Raw(key.Kind.ToString().ToUpperInvariant());
        switch (key.Kind)
        {
            case SearchKeyKind.Bcc or SearchKeyKind.Body or SearchKeyKind.Cc or SearchKeyKind.From
                or SearchKeyKind.Subject or SearchKeyKind.Text or SearchKeyKind.To:
                return Space().Astring(key.Value!);
            case SearchKeyKind.Keyword or SearchKeyKind.Unkeyword:
                return Space().Atom(key.Value!);
            case SearchKeyKind.Header:
                return Space().Astring(key.Field!).Space().Astring(key.Value!);
            case SearchKeyKind.Before or SearchKeyKind.On or SearchKeyKind.Since or SearchKeyKind.SentBefore
                or SearchKeyKind.SentOn or SearchKeyKind.SentSince:
                return Space().Date(key.Date);
            case SearchKeyKind.Larger or SearchKeyKind.Smaller or SearchKeyKind.Younger or SearchKeyKind.Older:
                return Space().Number(key.Number);
            case SearchKeyKind.ModSeq:
                if (key.Value is not null) Space().Quoted(System.Text.Encoding.UTF8.GetBytes(key.Value)).Space().Raw(key.Field!);
                return Space().Number(key.Number);
            case SearchKeyKind.Uid:
                return Space().SequenceSet(key.Set!);
            case SearchKeyKind.Not or SearchKeyKind.Or:
                foreach (var child in key.Children) Space().SearchKey(child, false);
                return this;
            default:
                return this;
        }
    }
}
