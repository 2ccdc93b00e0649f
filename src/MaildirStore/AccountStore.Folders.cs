using System.Globalization;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class AccountStore
{
    private const string UidValidityFileName = ".imapproxy-uidvalidity";
    private readonly SemaphoreSlim _uidValidityGate = new(1, 1);

    /// <summary>Creates a folder (Maildir++: with its <c>maildirfolder</c> file; fs: with parent directories).</summary>
    /// <exception cref="FolderExistsException">It exists already.</exception>
    /// <exception cref="InvalidFolderNameException">The name is not allowed.</exception>
    public async Task CreateFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        string normalized = _names.Normalize(name);
        if (normalized == FolderNames.Inbox) throw new FolderExistsException(normalized);
        string path = _names.PathOf(normalized);
        await _foldersGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (Directory.Exists(System.IO.Path.Combine(path, "cur"))) throw new FolderExistsException(normalized);
            if (File.Exists(path)) throw new InvalidFolderNameException(normalized, "a file of that name is in the way");
            // A stale row (folder removed behind our back) must not lend its UIDVALIDITY to the new folder.
            if (await _db.GetFolderAsync(normalized, cancellationToken).ConfigureAwait(false) is { } stale)
                await _db.DeleteFolderAsync(stale.Id, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(System.IO.Path.Combine(path, sub));
                if (Options.Layout == MaildirLayout.MaildirPlusPlus)
                    await File.WriteAllBytesAsync(System.IO.Path.Combine(path, "maildirfolder"), [], cancellationToken).ConfigureAwait(false);
                Durability.SyncDirectory(System.IO.Path.GetDirectoryName(path)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreIOException($"Cannot create folder {normalized}: {e.Message}", e);
            }
        }
        finally { _foldersGate.Release(); }
    }

    /// <summary>
    /// Deletes a folder and its messages. Children stay (Maildir++ keeps them as separate directories; in the fs layout
    /// the directory stays as a non-selectable parent).
    /// </summary>
    public async Task DeleteFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        string normalized = _names.Normalize(name);
        if (normalized == FolderNames.Inbox) throw new MailStoreException("INBOX cannot be deleted");
        string path = _names.PathOf(normalized);
        await _foldersGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!Directory.Exists(System.IO.Path.Combine(path, "cur"))) throw new FolderNotFoundException(normalized);
            if (_open.Remove(normalized, out var open)) await open.CloseAsync(folderGone: true).ConfigureAwait(false);
            try
            {
                RemoveMaildir(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreIOException($"Cannot delete folder {normalized}: {e.Message}", e);
            }
            if (await _db.GetFolderAsync(normalized, cancellationToken).ConfigureAwait(false) is { } row)
                await _db.DeleteFolderAsync(row.Id, cancellationToken).ConfigureAwait(false);
        }
        finally { _foldersGate.Release(); }
    }

    private void RemoveMaildir(string path)
    {
        bool hasChildren = Options.Layout == MaildirLayout.Fs &&
            Directory.EnumerateDirectories(path).Any(d => System.IO.Path.GetFileName(d) is not ("cur" or "new" or "tmp"));
        if (!hasChildren)
        {
            // Rename first, so the folder disappears at once even if the removal is interrupted.
            string doomed = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $".imapproxy-deleting-{Guid.NewGuid():N}");
            Directory.Move(path, doomed);
            Durability.SyncDirectory(System.IO.Path.GetDirectoryName(path)!);
            Directory.Delete(doomed, recursive: true);
            return;
        }
        // fs layout with children: drop the folder's own Maildir, keep the directory as their parent.
        Directory.Move(System.IO.Path.Combine(path, "cur"), System.IO.Path.Combine(path, ".imapproxy-deleting-cur"));
        foreach (var sub in new[] { ".imapproxy-deleting-cur", "new", "tmp" })
        {
            string dir = System.IO.Path.Combine(path, sub);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        foreach (var file in Directory.EnumerateFiles(path)) File.Delete(file);
    }

    /// <summary>Renames a folder and its children (IMAP RENAME); UIDVALIDITY and UIDs stay.</summary>
    public async Task RenameFolderAsync(string oldName, string newName, CancellationToken cancellationToken = default)
    {
        string from = _names.Normalize(oldName), to = _names.Normalize(newName);
        if (from == FolderNames.Inbox) throw new MailStoreException("Renaming INBOX is not supported");
        if (to == FolderNames.Inbox) throw new FolderExistsException(to);
        if (to.StartsWith(from + FolderNames.Separator, StringComparison.Ordinal))
            throw new InvalidFolderNameException(to, "a folder cannot be moved into itself");
        string fromPath = _names.PathOf(from), toPath = _names.PathOf(to);
        await _foldersGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!Directory.Exists(System.IO.Path.Combine(fromPath, "cur"))) throw new FolderNotFoundException(from);
            if (Directory.Exists(toPath) || File.Exists(toPath)) throw new FolderExistsException(to);
            foreach (var key in _open.Keys.Where(k => k == from || k.StartsWith(from + FolderNames.Separator, StringComparison.Ordinal)).ToList())
            {
                _open.Remove(key, out var open);
                await open!.CloseAsync(folderGone: true).ConfigureAwait(false);
            }
            try
            {
                MoveDirectories(from, to, fromPath, toPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreIOException($"Cannot rename {from} to {to}: {e.Message}", e);
            }
            await _db.RenameFolderTreeAsync(from, to, cancellationToken).ConfigureAwait(false);
        }
        finally { _foldersGate.Release(); }
    }

    private void MoveDirectories(string from, string to, string fromPath, string toPath)
    {
        if (Options.Layout == MaildirLayout.Fs)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(toPath)!);
            Directory.Move(fromPath, toPath);
            Durability.SyncDirectory(System.IO.Path.GetDirectoryName(toPath)!);
            return;
        }
        // Maildir++: the folder and each child are separate directories (.from, .from.x, ...).
        var children = _names.ListOnDisk().Select(f => f.Name)
            .Where(n => n.StartsWith(from + FolderNames.Separator, StringComparison.Ordinal)).ToList();
        Directory.Move(fromPath, toPath);
        foreach (var child in children)
            Directory.Move(_names.PathOf(child), _names.PathOf(to + child[from.Length..]));
        Durability.SyncDirectory(RootPath);
    }

    /// <summary>
    /// A UIDVALIDITY strictly above every one this mirror has issued (remembered in the index and in a file in the
    /// mirror, so a rebuilt index never repeats one), normally the current Unix time; <paramref name="preferred"/>
    /// (Dovecot's, when adopting) if it is above them all.
    /// </summary>
    internal async Task<uint> IssueUidValidityAsync(uint? preferred, CancellationToken cancellationToken)
    {
        await _uidValidityGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string file = System.IO.Path.Combine(RootPath, UidValidityFileName);
            uint last = 0;
            if (File.Exists(file) && uint.TryParse((await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim(),
                    NumberStyles.None, CultureInfo.InvariantCulture, out uint fromFile))
                last = fromFile;
            if (uint.TryParse(await _db.GetMetaAsync("last_uidvalidity", cancellationToken).ConfigureAwait(false),
                    NumberStyles.None, CultureInfo.InvariantCulture, out uint fromDb))
                last = Math.Max(last, fromDb);
            uint now = (uint)Math.Clamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1, uint.MaxValue - 1);
            uint value = preferred is { } p && p > last ? p : Math.Max(now, last + 1);
            string text = value.ToString(CultureInfo.InvariantCulture);
            string tmp = file + ".tmp";
            await File.WriteAllTextAsync(tmp, text, cancellationToken).ConfigureAwait(false);
            File.Move(tmp, file, overwrite: true);
            await _db.SetMetaAsync("last_uidvalidity", text, cancellationToken).ConfigureAwait(false);
            return value;
        }
        finally { _uidValidityGate.Release(); }
    }
}
