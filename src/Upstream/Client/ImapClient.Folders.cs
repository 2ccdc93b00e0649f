using ImapProxy.Protocol;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

/// <summary>What to ask LIST for.</summary>
/// <param name="Reference">The reference name (usually "").</param>
/// <param name="Pattern">The mailbox pattern ("*" for all).</param>
/// <param name="SubscribedOnly">LIST (SUBSCRIBED) with LIST-EXTENDED, else LSUB.</param>
/// <param name="StatusItems">LIST-STATUS items (e.g. MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ) when offered.</param>
public sealed record ListRequest(string Reference = "", string Pattern = "*", bool SubscribedOnly = false, IReadOnlyList<string>? StatusItems = null);

public sealed partial class ImapClient
{
    private bool Utf8Names => _enabled.Contains("UTF8=ACCEPT");

    private void AppendMailbox(CommandBuilder builder, string mailbox)
        => builder.AString(Utf8Names ? mailbox : MailboxName.EncodeUtf7(mailbox), Utf8Names);

    // A name that is not valid modified UTF-7 is kept as sent: it still works when sent back.
    private string DecodeMailbox(string raw) => Utf8Names || !MailboxName.TryDecodeUtf7(raw, out var decoded, out _) ? raw : decoded!;

    /// <summary>
    /// LIST with LIST-EXTENDED/SPECIAL-USE/LIST-STATUS when offered. Without SPECIAL-USE but with XLIST (old Gmail),
    /// XLIST is used for the special-use attributes.
    /// </summary>
    public async Task<IReadOnlyList<ListEntry>> ListAsync(ListRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListRequest();
        var extended = Has("LIST-EXTENDED");
        // Gmail before 2013 had no SPECIAL-USE and offered XLIST instead (Google deprecated XLIST since); the attributes
        // it gives (\Sent, \AllMail, \Inbox, ...) are mapped to RFC 6154 names below.
        var xlist = !Has("SPECIAL-USE") && Has("XLIST") && !request.SubscribedOnly;
        var verb = xlist ? "XLIST" : !extended && request.SubscribedOnly ? "LSUB" : "LIST";
        var builder = new CommandBuilder(verb).Raw(verb + " ");
        if (extended && request.SubscribedOnly) builder.Raw("(SUBSCRIBED) ");
        builder.AString(request.Reference, Utf8Names).Raw(" ");
        builder.String(Utf8Names ? request.Pattern : MailboxName.EncodeUtf7(request.Pattern), Utf8Names);
        var returns = new List<string>();
        if (extended && !xlist)
        {
            returns.Add("SUBSCRIBED");
            returns.Add("CHILDREN");
            if (Has("SPECIAL-USE")) returns.Add("SPECIAL-USE");
            if (Has("LIST-STATUS") && request.StatusItems is { Count: > 0 } items) returns.Add($"STATUS ({string.Join(' ', items)})");
            builder.Raw($" RETURN ({string.Join(' ', returns)})");
        }
        var entries = new List<ListEntry>();
        var byRawName = new Dictionary<string, ListEntry>(StringComparer.Ordinal);
        await RunOkAsync(builder, exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword == verb)
            {
                var entry = ParseListEntry(line, frame, xlist);
                entries.Add(entry);
                byRawName[entry.RawName] = entry;
                return true;
            }
            if (line.Keyword == "STATUS" && returns.Count > 0)
            {
                var status = ParseStatus(line, frame);
                if (byRawName.TryGetValue(status.RawName, out var owner)) owner.Status = status.Info;
                return true;
            }
            return false;
        }).ConfigureAwait(false);
        return entries;
    }

    private ListEntry ParseListEntry(in ResponseLine line, ResponseFrame frame, bool xlist)
    {
        var values = ResponseData.Values(line, frame);
        if (values.Length < 3 || !values[0].IsList) throw new ImapProtocolException($"malformed {line.Keyword} response: {ResponseLine.Preview(frame.Span)}");
        var attributes = new HashSet<string>(ResponseData.Atoms(values[0], "mailbox attributes").Select(a => a.ToUpperInvariant()), StringComparer.OrdinalIgnoreCase);
        var delimiterText = ResponseData.NText(values[1], "hierarchy delimiter");
        var raw = ResponseData.Text(values[2], "mailbox name");
        string? specialUse = null;
        foreach (var attribute in attributes)
        {
            specialUse = attribute switch
            {
                "\\ALL" or "\\ALLMAIL" => "\\All",
                "\\ARCHIVE" => "\\Archive",
                "\\DRAFTS" => "\\Drafts",
                "\\FLAGGED" or "\\STARRED" => "\\Flagged",
                "\\JUNK" or "\\SPAM" => "\\Junk",
                "\\SENT" => "\\Sent",
                "\\TRASH" => "\\Trash",
                "\\IMPORTANT" when xlist => "\\Important",
                _ => specialUse,
            };
        }
        // XLIST (Gmail) marks the inbox \Inbox and may localize its name; the protocol name is always INBOX.
        if (xlist && attributes.Contains("\\INBOX")) raw = "INBOX";
        // INBOX is case-insensitive (RFC 3501 §5.1); Yahoo lists it as "Inbox" (MailKit issue 242).
        if (raw.Equals("INBOX", StringComparison.OrdinalIgnoreCase)) raw = "INBOX";
        return new ListEntry
        {
            RawName = raw,
            Name = DecodeMailbox(raw),
            Delimiter = delimiterText is { Length: > 0 } d ? d[0] : null,
            Attributes = attributes,
            SpecialUse = specialUse,
        };
    }

    /// <summary>STATUS of a mailbox that is not selected. Items: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, RECENT,
    /// HIGHESTMODSEQ (only sent when CONDSTORE is offered), SIZE.</summary>
    public async Task<StatusInfo> StatusAsync(string mailbox, IEnumerable<string> items, CancellationToken cancellationToken = default)
    {
        var wanted = items.Where(i => !i.Equals("HIGHESTMODSEQ", StringComparison.OrdinalIgnoreCase) || Has("CONDSTORE") || Has("QRESYNC")).ToArray();
        var builder = new CommandBuilder("STATUS").Raw("STATUS ");
        AppendMailbox(builder, mailbox);
        builder.Raw($" ({string.Join(' ', wanted)})");
        var encoded = Utf8Names ? mailbox : MailboxName.EncodeUtf7(mailbox);
        StatusInfo? found = null;
        await RunOkAsync(builder, exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "STATUS") return false;
            var status = ParseStatus(line, frame);
            // Several STATUS commands may be in flight: take only ours. INBOX is case-insensitive.
            if (!string.Equals(status.RawName, encoded, status.RawName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) return false;
            found = status.Info;
            return true;
        }).ConfigureAwait(false);
        return found ?? throw new ImapProtocolException($"{_options.Host} answered STATUS {mailbox} with OK but sent no STATUS data");
    }

    private (string RawName, StatusInfo Info) ParseStatus(in ResponseLine line, ResponseFrame frame)
    {
        var values = ResponseData.Values(line, frame);
        if (values.Length != 2 || !values[1].IsList) throw new ImapProtocolException($"malformed STATUS response: {ResponseLine.Preview(frame.Span)}");
        var raw = ResponseData.Text(values[0], "mailbox name");
        var info = new StatusInfo { Name = DecodeMailbox(raw) };
        var items = values[1].Items;
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            var value = items[i + 1];
            switch (items[i].AsString()?.ToUpperInvariant())
            {
                case "MESSAGES": info.Messages = ResponseData.Number(value, "MESSAGES"); break;
                case "UIDNEXT": info.UidNext = ResponseData.Number(value, "UIDNEXT"); break;
                case "UIDVALIDITY": info.UidValidity = ResponseData.Number(value, "UIDVALIDITY"); break;
                case "UNSEEN": info.Unseen = ResponseData.Number(value, "UNSEEN"); break;
                case "RECENT": info.Recent = ResponseData.Number(value, "RECENT"); break;
                case "HIGHESTMODSEQ": info.HighestModSeq = ResponseData.Number64(value, "HIGHESTMODSEQ"); break;
                case "SIZE": info.Size = ResponseData.Number64(value, "SIZE"); break;
            }
        }
        return (raw, info);
    }

    /// <summary>CREATE; with <paramref name="specialUse"/> and CREATE-SPECIAL-USE (RFC 6154) the use is set too.</summary>
    public Task CreateAsync(string mailbox, string? specialUse = null, CancellationToken cancellationToken = default)
    {
        var builder = new CommandBuilder("CREATE").Raw("CREATE ");
        AppendMailbox(builder, mailbox);
        if (specialUse is not null && Has("CREATE-SPECIAL-USE")) builder.Raw($" (USE ({specialUse}))");
        return RunOkAsync(builder, exclusive: false, cancellationToken);
    }

    /// <summary>DELETE.</summary>
    public Task DeleteAsync(string mailbox, CancellationToken cancellationToken = default)
        => MailboxCommand("DELETE", mailbox, cancellationToken);

    /// <summary>SUBSCRIBE.</summary>
    public Task SubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
        => MailboxCommand("SUBSCRIBE", mailbox, cancellationToken);

    /// <summary>UNSUBSCRIBE.</summary>
    public Task UnsubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
        => MailboxCommand("UNSUBSCRIBE", mailbox, cancellationToken);

    /// <summary>RENAME.</summary>
    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var builder = new CommandBuilder("RENAME").Raw("RENAME ");
        AppendMailbox(builder, from);
        builder.Raw(" ");
        AppendMailbox(builder, to);
        return RunOkAsync(builder, exclusive: false, cancellationToken);
    }

    private Task MailboxCommand(string verb, string mailbox, CancellationToken cancellationToken)
    {
        var builder = new CommandBuilder(verb).Raw(verb + " ");
        AppendMailbox(builder, mailbox);
        return RunOkAsync(builder, exclusive: false, cancellationToken);
    }
}
