using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    /// <summary>UID COPY; with UIDPLUS the result maps source to destination UIDs (COPYUID).</summary>
    public async Task<CopyResult> UidCopyAsync(UidSet uids, string destination, CancellationToken cancellationToken = default)
    {
        var builder = new CommandBuilder("UID COPY").Raw($"UID COPY {uids} ");
        AppendMailbox(builder, destination);
        var result = await RunOkAsync(builder, exclusive: false, cancellationToken).ConfigureAwait(false);
        return ParseUidPlusCode(result.Code, "COPYUID") ?? new CopyResult(0, [], []);
    }

    /// <summary>
    /// UID MOVE (RFC 6851) when offered. Otherwise UID COPY, then +FLAGS \Deleted, then an expunge of exactly those
    /// UIDs (<see cref="UidExpungeAsync"/>, with its safe fallback when UIDPLUS is missing too).
    /// </summary>
    public async Task<CopyResult> UidMoveAsync(UidSet uids, string destination, CancellationToken cancellationToken = default)
    {
        if (!Has("MOVE"))
        {
            var copied = await UidCopyAsync(uids, destination, cancellationToken).ConfigureAwait(false);
            await UidStoreAsync(uids, StoreAction.Add, ["\\Deleted"], cancellationToken: cancellationToken).ConfigureAwait(false);
            await UidExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
            return copied;
        }
        var builder = new CommandBuilder("UID MOVE").Raw($"UID MOVE {uids} ");
        AppendMailbox(builder, destination);
        CopyResult? fromUntagged = null;
        // MOVE sends COPYUID in an untagged OK before the expunges (RFC 6851 §4.3); some servers put it on the tagged OK.
        var result = await RunOkAsync(builder, exclusive: true, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "OK") return false;
            var (code, _) = line.StatusText(frame.Span);
            if (ParseUidPlusCode(code, "COPYUID") is not { } copy) return false;
            fromUntagged = copy;
            return true;
        }).ConfigureAwait(false);
        return fromUntagged ?? ParseUidPlusCode(result.Code, "COPYUID") ?? new CopyResult(0, [], []);
    }

    /// <summary>
    /// Expunges exactly <paramref name="uids"/> (which must already be \Deleted). With UIDPLUS: UID EXPUNGE. Without
    /// it, a plain EXPUNGE would also remove other messages marked \Deleted (by the user in another client), so:
    /// the other \Deleted messages are found with UID SEARCH DELETED, their \Deleted is removed, EXPUNGE runs, and
    /// their \Deleted is restored. If the connection breaks in between, those messages merely lose \Deleted: no mail
    /// is lost, which is why this was chosen over "skip the expunge" (that would leave our messages behind).
    /// </summary>
    public async Task UidExpungeAsync(UidSet uids, CancellationToken cancellationToken = default)
    {
        if (Has("UIDPLUS"))
        {
            await RunOkAsync(new CommandBuilder("UID EXPUNGE").Raw($"UID EXPUNGE {uids}"), exclusive: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        var deleted = await UidSearchAsync("DELETED", cancellationToken).ConfigureAwait(false);
        var others = new UidSet(deleted.Uids.Enumerate().Where(uid => !uids.Contains(uid)));
        if (!others.IsEmpty) await UidStoreAsync(others, StoreAction.Remove, ["\\Deleted"], cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await RunOkAsync(new CommandBuilder("EXPUNGE").Raw("EXPUNGE"), exclusive: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!others.IsEmpty && _fault is null)
                await UidStoreAsync(others, StoreAction.Add, ["\\Deleted"], cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }
}
