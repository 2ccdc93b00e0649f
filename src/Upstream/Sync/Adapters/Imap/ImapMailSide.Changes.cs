using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

public sealed partial class ImapMailSide
{
    /// <inheritdoc />
    /// <remarks>
    /// The APPENDUID answer is only trusted when the server advertises UIDPLUS (RFC 4315 codes mean nothing
    /// otherwise); without it the engine finds the copy with <see cref="FindMessagesAsync"/>.
    /// </remarks>
    public Task<uint?> AppendAsync(
        string folder, Stream content, long size, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(null, async client =>
        {
            var message = ToAppendMessage(content, size, flags, internalDate);
            return TrustedAppendUid(await client.AppendAsync(mailbox, [message], cancellationToken).ConfigureAwait(false));
        }, cancellationToken);
    }

    private static AppendMessage ToAppendMessage(Stream content, long size, FlagSet flags, DateTimeOffset internalDate) =>
        new(content, size, flags.Where(IsStorable).ToList(), internalDate);

    /// <summary>The new UID from APPENDUID, only under UIDPLUS (Dovecot 2.3.19 sends the code even when the capability is hidden).</summary>
    private uint? TrustedAppendUid(CopyResult result) =>
        (Capabilities & SideCapabilities.AppendUid) != 0 && result.DestinationUids.Count == 1 ? result.DestinationUids[0] : null;

    // \Recent cannot be stored (RFC 3501 §2.3.2); FlagSet already drops it, this guards against odd names too.
    private static bool IsStorable(string flag) =>
        flag.Length > 0 && !flag.Equals(@"\Recent", StringComparison.OrdinalIgnoreCase) && flag.All(c => c is > ' ' and < '\x7f' and not '(' and not ')' and not '{' and not '"');

    /// <inheritdoc />
    /// <remarks>
    /// <c>UID STORE +FLAGS.SILENT</c> then <c>-FLAGS.SILENT</c>, the first with <c>(UNCHANGEDSINCE n)</c> under
    /// CONDSTORE; a <c>UID FETCH n (UID)</c> is pipelined behind them to tell a vanished message from a store that
    /// changed nothing (.SILENT answers neither with data).
    /// </remarks>
    public Task<bool> StoreFlagsAsync(
        string folder, uint uid, FlagSet add, FlagSet remove, ulong unchangedSinceModSeq, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var set = UidSet.Range(uid, uid);
            ulong? since = unchangedSinceModSeq > 0 && (Capabilities & SideCapabilities.ConditionalStore) != 0 ? unchangedSinceModSeq : null;
            var stores = new List<Task<StoreResult>>();
            foreach (var (action, flags) in new[] { (StoreAction.Add, add), (StoreAction.Remove, remove) })
            {
                var storable = flags.Where(IsStorable).ToList();
                if (storable.Count == 0)
                {
                    continue;
                }
                stores.Add(client.UidStoreAsync(set, action, storable, since, cancellationToken));
                since = null; // our own first store moves the modseq
            }
            var exists = client.UidFetchAsync(set, new FetchRequest(Flags: false), cancellationToken);
            var results = await Task.WhenAll(stores).ConfigureAwait(false);
            // Pipelined commands may claim each other's FETCH responses: a FETCH for the UID seen by either proves it exists.
            var present = (await exists.ConfigureAwait(false)).Messages.Any(m => m.Uid == uid)
                          || results.Any(r => r.Updated.Any(m => m.Uid == uid));
            return present && results.All(r => !r.Modified.Contains(uid));
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>UID STORE +FLAGS.SILENT (\Deleted)</c>, then <c>UID EXPUNGE</c> under UIDPLUS. Without UIDPLUS a plain
    /// EXPUNGE would also remove messages someone else marked \Deleted, so <see cref="ImapClient.UidExpungeAsync"/>
    /// clears their \Deleted first, expunges, and sets it again (as careful tools do). Only a message marked
    /// \Deleted by another client in the instant between its search and the EXPUNGE could be taken along; the
    /// window is one round trip, and the alternative (never expunging) would leave our deletions undone.
    /// </remarks>
    public Task ExpungeAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(folder);
        return WithConnectionAsync(mailbox, async client =>
        {
            if (uids.Count == 0)
            {
                return true;
            }
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var set = new UidSet(uids.Order());
            await client.UidStoreAsync(set, StoreAction.Add, [@"\Deleted"], cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.UidExpungeAsync(set, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>UID MOVE (RFC 6851); the map comes from COPYUID when the server advertises UIDPLUS.</remarks>
    public Task<IReadOnlyDictionary<uint, uint>?> MoveAsync(
        string fromFolder, IReadOnlyCollection<uint> uids, string toFolder, CancellationToken cancellationToken)
    {
        var mailbox = _names.ToServer(fromFolder);
        var target = _names.ToServer(toFolder);
        return WithConnectionAsync(mailbox, async client =>
        {
            if (uids.Count == 0)
            {
                return (IReadOnlyDictionary<uint, uint>?)new Dictionary<uint, uint>();
            }
            await SelectAsync(client, mailbox, cancellationToken).ConfigureAwait(false);
            var result = await client.UidMoveAsync(new UidSet(uids.Order()), target, cancellationToken).ConfigureAwait(false);
            if ((Capabilities & SideCapabilities.AppendUid) == 0 || result.SourceUids.Count == 0)
            {
                return null;
            }
            var map = new Dictionary<uint, uint>();
            for (var i = 0; i < result.SourceUids.Count; i++)
            {
                map[result.SourceUids[i]] = result.DestinationUids[i];
            }
            return map;
        }, cancellationToken);
    }
}
