using System.Globalization;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

public sealed partial class ImapMailSide
{
    /// <summary>UIDs per command for per-message data, keeping command lines well under servers' limits (Dovecot: 64 KiB).</summary>
    private const int UidsPerCommand = 2000;

    /// <inheritdoc />
    /// <remarks>
    /// A fresh SELECT every time (its UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ go into the listing), then
    /// <c>UID FETCH 1:* (UID FLAGS MODSEQ)</c>, with <c>(CHANGEDSINCE n VANISHED)</c> when QRESYNC is enabled and a
    /// modseq is given. With CONDSTORE alone expunges could not be seen, so the listing is then complete.
    /// </remarks>
    public Task<FolderListing> ListMessagesAsync(string folder, ulong changedSinceModSeq, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            var info = await client.SelectAsync(mailbox, null, cancellationToken).ConfigureAwait(false);
            var delta = changedSinceModSeq > 0 && QResync && info.HighestModSeq > 0;
            var modseq = (Capabilities & SideCapabilities.ModSeq) != 0 && !info.NoModSeq;
            var fetched = info.Exists == 0 && !delta
                ? new FetchResult([], new UidSet())
                : await client.UidFetchAsync(UidSet.From(1), new FetchRequest(Flags: true, ModSeq: modseq,
                    ChangedSince: delta ? changedSinceModSeq : null, Vanished: delta), cancellationToken).ConfigureAwait(false);
            var messages = fetched.Messages
                .Select(m => new MessageInfo(m.Uid, FlagSet.Of(m.Flags ?? []), m.ModSeq ?? 0))
                .ToList();
            // A message that arrived between SELECT and FETCH is listed: UIDNEXT must stay above it.
            var uidNext = Math.Max(info.UidNext, messages.Count == 0 ? 0 : messages.Max(m => m.Uid) + 1);
            IReadOnlyList<uint> vanished = delta ? fetched.Vanished.Enumerate().ToList() : [];
            return new FolderListing(info.UidValidity, uidNext, modseq ? info.HighestModSeq : 0, messages, vanished, delta)
            {
                MessageCount = (int)info.Exists,
            };
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>RFC822.SIZE, INTERNALDATE and <c>BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]</c> (plus EMAILID under OBJECTID), pipelined in chunks.</remarks>
    public Task<IReadOnlyList<MessageIdentity>> FetchIdentitiesAsync(
        string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            if (uids.Count == 0)
            {
                return (IReadOnlyList<MessageIdentity>)[];
            }
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var objectIds = (Capabilities & SideCapabilities.ContentKeys) != 0;
            var request = new FetchRequest(Flags: false, Size: true, InternalDate: true, BodySection: "HEADER.FIELDS (MESSAGE-ID)",
                Extra: objectIds ? ["EMAILID"] : null);
            var chunks = uids.Order().Chunk(UidsPerCommand)
                .Select(chunk => client.UidFetchAsync(new UidSet(chunk), request, cancellationToken))
                .ToList();
            var results = await Task.WhenAll(chunks).ConfigureAwait(false);
            var identities = new List<MessageIdentity>();
            foreach (var m in results.SelectMany(r => r.Messages))
            {
                if (m.Size is not { } size)
                {
                    continue;
                }
                identities.Add(new MessageIdentity(m.Uid, m.Body is { } header ? ImapMessageHeaders.MessageId(header.Span) : null,
                    size, m.InternalDate ?? DateTimeOffset.UnixEpoch, objectIds ? m.EmailId : null));
            }
            return identities;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>UID FETCH n BODY.PEEK[]</c> into memory (up to 1 MiB) or a self-deleting temporary file, so the connection
    /// goes back to the pool at once and large messages never sit whole in memory.
    /// </remarks>
    public Task<Stream?> OpenMessageAsync(string folder, uint uid, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var buffer = new FetchBodyBuffer(uid);
            try
            {
                await client.UidFetchAsync(UidSet.Range(uid, uid), new FetchRequest(Flags: false, BodySection: ""), buffer, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch
            {
                await buffer.DisposeUntakenAsync().ConfigureAwait(false);
                throw;
            }
            return buffer.Take();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>UID SEARCH UID n:* LARGER size-1 SMALLER size+1</c>, narrowed by <c>HEADER Message-ID</c> when the ID is plain
    /// ASCII; the candidates' identities are then compared exactly (a server's HEADER search is a substring match).
    /// </remarks>
    public async Task<IReadOnlyList<uint>> FindMessagesAsync(
        string folder, string? messageId, long size, uint minUid, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        var wanted = MessageIds.Normalize(messageId);
        var candidates = await WithConnectionAsync(mailbox, async client =>
        {
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var criteria = string.Create(CultureInfo.InvariantCulture, $"UID {Math.Max(1, minUid)}:* LARGER {Math.Max(0, size - 1)} SMALLER {size + 1}");
            if (wanted is not null && wanted.All(c => c is > ' ' and < '\x7f' and not '"' and not '\\'))
            {
                criteria += $" HEADER Message-ID \"{wanted}\"";
            }
            var found = await client.UidSearchAsync(criteria, cancellationToken).ConfigureAwait(false);
            // "n:*" also matches the highest UID when that is below n.
            return found.Uids.Enumerate().Where(u => u >= minUid).ToList();
        }, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return [];
        }
        var identities = await FetchIdentitiesAsync(folder, candidates, cancellationToken).ConfigureAwait(false);
        return identities.Where(i => i.Size == size && i.MessageId == wanted).Select(i => i.Uid).Order().ToList();
    }
}
