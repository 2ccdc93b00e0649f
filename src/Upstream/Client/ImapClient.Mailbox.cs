using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    private MailboxInfo? _selecting;

    /// <summary>SELECT: opens a mailbox read-write. With <paramref name="qresync"/> (and QRESYNC enabled) the
    /// answer includes what changed since then: <see cref="MailboxInfo.VanishedEarlier"/> and
    /// <see cref="MailboxInfo.ChangedSince"/>. With CONDSTORE enabled, HIGHESTMODSEQ or NOMODSEQ is reported.</summary>
    public Task<MailboxInfo> SelectAsync(string mailbox, QResyncState? qresync = null, CancellationToken cancellationToken = default)
        => OpenMailboxAsync("SELECT", mailbox, qresync, cancellationToken);

    /// <summary>EXAMINE: like <see cref="SelectAsync"/>, read-only (flags do not change, \Recent is kept).</summary>
    public Task<MailboxInfo> ExamineAsync(string mailbox, QResyncState? qresync = null, CancellationToken cancellationToken = default)
        => OpenMailboxAsync("EXAMINE", mailbox, qresync, cancellationToken);

    private async Task<MailboxInfo> OpenMailboxAsync(string verb, string mailbox, QResyncState? qresync, CancellationToken cancellationToken)
    {
        var builder = new CommandBuilder(verb).Raw(verb + " ");
        AppendMailbox(builder, mailbox);
        var condstore = Has("CONDSTORE") || Has("QRESYNC");
        if (qresync is not null && _enabled.Contains("QRESYNC"))
        {
            builder.Raw($" (QRESYNC ({qresync.UidValidity} {Math.Max(1, qresync.ModSeq)}");
            if (qresync.KnownUids is { IsEmpty: false } known) builder.Raw(" " + known);
            builder.Raw("))");
        }
        else if (condstore && !_enabled.Contains("CONDSTORE"))
        {
            // CONDSTORE without ENABLE: the SELECT parameter turns it on for this mailbox (RFC 7162 §3.1.8).
            builder.Raw(" (CONDSTORE)");
        }
        var info = new MailboxInfo { Name = mailbox, ReadOnly = verb == "EXAMINE" };
        var changed = new List<FetchedMessage>();
        Selected = null;
        State = ImapClientState.Authenticated;
        _selecting = info;
        CommandResult result;
        try
        {
            result = await RunAsync(builder, exclusive: true, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
            {
                if (line.Keyword == "FETCH")
                {
                    changed.Add(FetchParser.Parse(line, frame));
                    return true;
                }
                return line.Keyword is "VANISHED" or "EXISTS" or "RECENT" or "FLAGS" or "OK";
            }).ConfigureAwait(false);
        }
        finally
        {
            _selecting = null;
        }
        if (!result.IsOk) throw new ImapCommandException(verb, result.Status, result.Code, result.Text);
        info.ChangedSince = changed;
        if (result.Code is { } code && code.StartsWith("READ-ONLY", StringComparison.OrdinalIgnoreCase)) info.ReadOnly = true;
        Selected = info;
        State = ImapClientState.Selected;
        if (info.UidNext == 0)
        {
            // Winmail Pro 5.1 sends no UIDNEXT on SELECT but answers STATUS (modern-email/defects#43); RFC 3501 only
            // discourages STATUS on the selected mailbox, and a synchronizer needs UIDNEXT.
            try
            {
                var status = await StatusAsync(mailbox, ["UIDNEXT"], cancellationToken).ConfigureAwait(false);
                info.UidNext = status.UidNext ?? 0;
            }
            catch (ImapCommandException) { /* stays 0: unknown */ }
        }
        return info;
    }

    /// <summary>UNSELECT (RFC 3691) when offered, else CLOSE — which also expunges \Deleted messages, so without UNSELECT
    /// an EXAMINE of a non-existent name is used to leave the mailbox without expunging.</summary>
    public async Task UnselectAsync(CancellationToken cancellationToken = default)
    {
        if (Has("UNSELECT")) await RunOkAsync(new CommandBuilder("UNSELECT").Raw("UNSELECT"), exclusive: true, cancellationToken).ConfigureAwait(false);
        else
        {
            // The NO is expected: a failed EXAMINE leaves no mailbox selected (RFC 3501 §6.3.1) without expunging.
            await RunAsync(new CommandBuilder("EXAMINE").Raw("EXAMINE \"imapproxy-unselect-\\\"nonexistent\\\"\""), exclusive: true, cancellationToken).ConfigureAwait(false);
        }
        Selected = null;
        State = ImapClientState.Authenticated;
    }

    /// <summary>CLOSE: leaves the mailbox, expunging \Deleted messages when it was selected read-write.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        await RunOkAsync(new CommandBuilder("CLOSE").Raw("CLOSE"), exclusive: true, cancellationToken).ConfigureAwait(false);
        Selected = null;
        State = ImapClientState.Authenticated;
    }

    private void ApplyStatusCode(string code)
    {
        var space = code.IndexOf(' ');
        var name = (space < 0 ? code : code[..space]).ToUpperInvariant();
        var args = space < 0 ? "" : code[(space + 1)..].Trim();
        if (name == "CAPABILITY")
        {
            SetCapabilities(args);
            return;
        }
        var target = _selecting ?? Selected;
        if (target is null) return;
        switch (name)
        {
            case "UIDVALIDITY" when uint.TryParse(args, out var v): target.UidValidity = v; break;
            case "UIDNEXT" when uint.TryParse(args, out var v): target.UidNext = v; break;
            case "HIGHESTMODSEQ" when ulong.TryParse(args, out var v): target.HighestModSeq = v; break;
            case "NOMODSEQ": target.NoModSeq = true; target.HighestModSeq = 0; break;
            case "READ-ONLY": target.ReadOnly = true; break;
            case "READ-WRITE": target.ReadOnly = false; break;
            case "PERMANENTFLAGS":
                target.PermanentFlags = args.Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                break;
        }
    }

    private void UpdateSelected(in ResponseLine line, ResponseFrame frame)
    {
        var target = _selecting ?? Selected;
        if (target is null) return;
        switch (line.Keyword)
        {
            case "EXISTS" when line.Number >= 0: target.Exists = (uint)Math.Min(line.Number, uint.MaxValue); break;
            case "RECENT" when line.Number >= 0: target.Recent = (uint)Math.Min(line.Number, uint.MaxValue); break;
            case "EXPUNGE" when target.Exists > 0: target.Exists--; break;
            case "FLAGS":
                var values = ResponseData.Values(line, frame);
                if (values.Length == 1) target.Flags = ResponseData.Atoms(values[0], "FLAGS");
                break;
            case "VANISHED":
                var (uids, earlier) = ParseVanished(line, frame);
                if (earlier && _selecting is not null)
                {
                    foreach (var (first, last) in uids.Ranges) target.VanishedEarlier.AddRange(first, last);
                }
                else if (!earlier) target.Exists = (uint)Math.Max(0, target.Exists - uids.Count);
                break;
        }
    }

    private static (UidSet Uids, bool Earlier) ParseVanished(in ResponseLine line, ResponseFrame frame)
    {
        var values = ResponseData.Values(line, frame);
        var earlier = values.Length == 2 && values[0].IsList && values[0].Items.Count == 1 && values[0].Items[0].IsAtom("EARLIER");
        if (values.Length != (earlier ? 2 : 1)) throw new ImapProtocolException($"malformed VANISHED response: {ResponseLine.Preview(frame.Span)}");
        return (ResponseData.Set(values[^1], "VANISHED"), earlier);
    }

    private void RaiseMailboxEvent(in ResponseLine line, ResponseFrame frame)
    {
        if (Event is null) return;
        switch (line.Keyword)
        {
            case "EXISTS" when line.Number >= 0: Raise(new ExistsEvent((uint)Math.Min(line.Number, uint.MaxValue))); break;
            case "EXPUNGE" when line.Number > 0: Raise(new ExpungeEvent((uint)Math.Min(line.Number, uint.MaxValue))); break;
            case "VANISHED":
                var (uids, earlier) = ParseVanished(line, frame);
                Raise(new VanishedEvent(uids, earlier));
                break;
            case "FETCH": Raise(new FetchEvent(FetchParser.Parse(line, frame))); break;
        }
    }
}
