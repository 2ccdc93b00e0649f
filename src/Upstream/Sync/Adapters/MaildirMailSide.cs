using ImapProxy.Store;
using StoreStatus = ImapProxy.Store.FolderStatus;

namespace ImapProxy.Upstream.Sync.Adapters;

/// <summary>
/// The local side: the Maildir mirror (<see cref="AccountStore"/>) as an <see cref="IMailSide"/>. The store has
/// MODSEQs with tombstones (QRESYNC-like), gives UIDs on append and move, and moves keep the file.
/// </summary>
/// <remarks>
/// Content keys are Maildir base names (<see cref="MailFolder.FindMessageAsync"/>): a message moved between folders
/// keeps its file, so a local move is recognised and becomes an upstream MOVE instead of an upload and an expunge.
/// </remarks>
public sealed partial class MaildirMailSide(AccountStore store) : IMailSide
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public SideCapabilities Capabilities =>
        SideCapabilities.ModSeq | SideCapabilities.Move | SideCapabilities.AppendUid | SideCapabilities.ConditionalStore
        | SideCapabilities.ContentKeys;

    /// <inheritdoc />
    public async Task<IReadOnlyList<FolderStatus>> ListFoldersAsync(CancellationToken cancellationToken)
    {
        var result = new List<FolderStatus>();
        foreach (var folder in await store.ListFoldersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (folder.Selectable)
            {
                var mailFolder = await store.OpenFolderAsync(folder.Name, cancellationToken).ConfigureAwait(false);
                result.Add(ToStatus(folder.Name, await mailFolder.GetStatusAsync(cancellationToken).ConfigureAwait(false)));
            }
        }
        return result;
    }

    private static FolderStatus ToStatus(string name, StoreStatus s) => new(name, s.UidValidity, s.UidNext, s.HighestModSeq, s.Messages);

    /// <inheritdoc />
    public async Task<FolderStatus> CreateFolderAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await store.CreateFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderExistsException)
        {
            // Idempotent by contract: a replayed create finds the folder there.
        }
        var folder = await store.OpenFolderAsync(name, cancellationToken).ConfigureAwait(false);
        return ToStatus(name, await folder.GetStatusAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task DeleteFolderAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc />
    public Task RenameFolderAsync(string oldName, string newName, CancellationToken cancellationToken) =>
        store.RenameFolderAsync(oldName, newName, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A delta copies only the changed messages (<see cref="MailFolder.GetChangesSinceAsync"/>), not the whole folder:
    /// a folder that changed by one flag costs a look at its entries, not a snapshot of every message.
    /// </remarks>
    public async Task<FolderListing> ListMessagesAsync(string folder, ulong changedSinceModSeq, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        if (changedSinceModSeq > 0)
        {
            var changes = await mailFolder.GetChangesSinceAsync(changedSinceModSeq, cancellationToken).ConfigureAwait(false);
            return ToListing(changes.Status, changes.Changed, changes.Expunged, isDelta: true);
        }
        var snapshot = await mailFolder.SelectAsync(cancellationToken).ConfigureAwait(false);
        return ToListing(snapshot.Status, snapshot.Messages, [], isDelta: false);
    }

    private static FolderListing ToListing(StoreStatus s, IReadOnlyList<Store.MessageInfo> messages, IReadOnlyList<uint> vanished, bool isDelta) =>
        new(s.UidValidity, s.UidNext, s.HighestModSeq,
            messages.Select(m => new MessageInfo(m.Uid, ToFlagSet(m.Flags, m.Keywords), m.ModSeq)).ToList(), vanished, isDelta)
        {
            MessageCount = s.Messages,
        };

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageIdentity>> FetchIdentitiesAsync(
        string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        // One lookup per UID (a binary search), never a snapshot of the whole folder: the engine asks for single
        // UIDs after each copy, and a snapshot each time would make an initial download quadratic.
        var result = new List<MessageIdentity>(uids.Count);
        foreach (var uid in uids)
        {
            if (await mailFolder.FindMessageAsync(uid, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                continue;
            }
            var (m, baseName) = found;
            try
            {
                var details = await mailFolder.GetDetailsAsync(uid, cancellationToken).ConfigureAwait(false);
                result.Add(new MessageIdentity(uid, MessageIds.Normalize(details.MessageId), m.Size, m.InternalDate, baseName));
            }
            catch (MessageNotFoundException)
            {
                // Expunged meanwhile: left out, as the contract says.
            }
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenMessageAsync(string folder, uint uid, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        try
        {
            return new CrlfReadStream(await mailFolder.OpenMessageAsync(uid, cancellationToken).ConfigureAwait(false));
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<uint?> AppendAsync(
        string folder, Stream content, long size, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        var (system, keywords) = Split(flags);
        var result = await mailFolder.AppendAsync(content, system, keywords, internalDate, cancellationToken).ConfigureAwait(false);
        return result.Uid;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<uint>> FindMessagesAsync(
        string folder, string? messageId, long size, uint minUid, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        var candidates = (await mailFolder.SelectAsync(cancellationToken).ConfigureAwait(false)).Messages
            .Where(m => m.Uid >= minUid && m.Size == size).Select(m => m.Uid).ToList();
        var identities = await FetchIdentitiesAsync(folder, candidates, cancellationToken).ConfigureAwait(false);
        return identities.Where(i => i.MessageId == MessageIds.Normalize(messageId)).Select(i => i.Uid).Order().ToList();
    }

    /// <inheritdoc />
    public async Task<bool> StoreFlagsAsync(
        string folder, uint uid, FlagSet add, FlagSet remove, ulong unchangedSinceModSeq, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        ulong? since = unchangedSinceModSeq > 0 ? unchangedSinceModSeq : null;
        foreach (var (mode, set) in new[] { (FlagChangeMode.Add, add), (FlagChangeMode.Remove, remove) })
        {
            if (set.IsEmpty)
            {
                continue;
            }
            var (system, keywords) = Split(set);
            var result = await mailFolder.StoreFlagsAsync([uid], mode, system, keywords, since, cancellationToken).ConfigureAwait(false);
            if (result.Modified.Count > 0 || result.Updated.Count == 0)
            {
                return false;
            }
            since = null; // our own first store moved the modseq
        }
        return true;
    }

    /// <inheritdoc />
    public async Task ExpungeAsync(string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        var mailFolder = await store.OpenFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        // The store expunges only what is flagged \Deleted, as IMAP does.
        await mailFolder.StoreFlagsAsync(uids, FlagChangeMode.Add, MessageFlags.Deleted, null, null, cancellationToken).ConfigureAwait(false);
        await mailFolder.ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<uint, uint>?> MoveAsync(
        string fromFolder, IReadOnlyCollection<uint> uids, string toFolder, CancellationToken cancellationToken)
    {
        var from = await store.OpenFolderAsync(fromFolder, cancellationToken).ConfigureAwait(false);
        var to = await store.OpenFolderAsync(toFolder, cancellationToken).ConfigureAwait(false);
        var result = await from.MoveToAsync(uids, to, cancellationToken).ConfigureAwait(false);
        return result.Pairs.ToDictionary(p => p.SourceUid, p => p.TargetUid);
    }

    private static readonly (MessageFlags Flag, string Name)[] SystemFlags =
    [
        (MessageFlags.Seen, @"\Seen"), (MessageFlags.Answered, @"\Answered"), (MessageFlags.Flagged, @"\Flagged"),
        (MessageFlags.Deleted, @"\Deleted"), (MessageFlags.Draft, @"\Draft"),
    ];

    /// <summary>A stored message's system flags and keywords as the engine's <see cref="FlagSet"/>.</summary>
    public static FlagSet ToFlagSet(MessageFlags flags, IReadOnlyList<string> keywords) =>
        FlagSet.Of(SystemFlags.Where(f => flags.HasFlag(f.Flag)).Select(f => f.Name).Concat(keywords));

    private static (MessageFlags System, List<string> Keywords) Split(FlagSet flags)
    {
        var system = MessageFlags.None;
        var keywords = new List<string>();
        foreach (var flag in flags)
        {
            var known = SystemFlags.FirstOrDefault(f => f.Name.Equals(flag, StringComparison.OrdinalIgnoreCase));
            if (known.Name is not null)
            {
                system |= known.Flag;
            }
            else if (!flag.StartsWith('\\'))
            {
                keywords.Add(flag);
            }
        }
        return (system, keywords);
    }
}
