using System.Globalization;

namespace ImapProxy.TestSupport;

/// <summary>
/// Writes messages straight into a test bed user's Maildir++ tree (folders as <c>.Name</c> directories), owned by
/// the mail user: the fastest way to load thousands of messages. Safe before Dovecot starts and while it runs
/// (files land in tmp/ and are renamed into cur/, as a delivery agent does); Dovecot assigns UIDs on its next
/// mailbox sync, in the order the messages were added.
/// </summary>
public sealed class MaildirSeeder
{
    private static long _sequence;
    private readonly string _root;
    private readonly char _separator;
    private readonly uint _uid;
    private readonly uint _gid;

    internal MaildirSeeder(string root, char separator, uint uid, uint gid)
    {
        _root = root;
        _separator = separator;
        _uid = uid;
        _gid = gid;
    }

    /// <summary>The user's Maildir root, which is also INBOX.</summary>
    public string Root => _root;

    /// <summary>The directory of <paramref name="folder"/> ("INBOX", or e.g. "Lists.dev" with separator '.').</summary>
    public string FolderPath(string folder)
    {
        if (folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return _root;
        }
        if (folder.Length == 0 || folder.Contains('/') && _separator != '/' || folder.Contains('.') && _separator != '.')
        {
            throw new ArgumentException($"folder '{folder}' cannot be stored in Maildir++ with separator '{_separator}'", nameof(folder));
        }
        return Path.Combine(_root, "." + folder.Replace(_separator, '.'));
    }

    /// <summary>Creates the folder (and the root) with cur/new/tmp if missing; returns its directory.</summary>
    public string EnsureFolder(string folder)
    {
        CreateOwnedDirectory(_root);
        var path = FolderPath(folder);
        CreateOwnedDirectory(path);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            CreateOwnedDirectory(Path.Combine(path, sub));
        }
        if (path != _root && !File.Exists(Path.Combine(path, "maildirfolder")))
        {
            File.WriteAllBytes(Path.Combine(path, "maildirfolder"), []);
            Posix.Chown(Path.Combine(path, "maildirfolder"), _uid, _gid);
        }
        return path;
    }

    /// <summary>
    /// Adds one message to <paramref name="folder"/> with Maildir flags (any of "DFRST", e.g. "S" for \Seen) and an
    /// optional INTERNALDATE (Dovecot takes it from the file's mtime). Returns the file's path.
    /// </summary>
    public async Task<string> AddAsync(
        string folder, ReadOnlyMemory<byte> message, string flags = "", DateTimeOffset? internalDate = null,
        CancellationToken cancellationToken = default)
    {
        var folderPath = EnsureFolder(folder);
        var baseName = UniqueName();
        var temporary = Path.Combine(folderPath, "tmp", baseName);
        await File.WriteAllBytesAsync(temporary, message.ToArray(), cancellationToken);
        return Deliver(temporary, folderPath, baseName, flags, internalDate);
    }

    /// <summary>Copies message files (e.g. from <see cref="Corpus"/>) into <paramref name="folder"/>, in order.</summary>
    public async Task<int> AddFilesAsync(
        string folder, IEnumerable<string> messageFiles, string flags = "", CancellationToken cancellationToken = default)
    {
        var folderPath = EnsureFolder(folder);
        var count = 0;
        foreach (var file in messageFiles)
        {
            var baseName = UniqueName();
            var temporary = Path.Combine(folderPath, "tmp", baseName);
            await using (var source = File.OpenRead(file))
            await using (var target = File.Create(temporary))
            {
                await source.CopyToAsync(target, cancellationToken);
            }
            Deliver(temporary, folderPath, baseName, flags, null);
            count++;
        }
        return count;
    }

    private string Deliver(string temporary, string folderPath, string baseName, string flags, DateTimeOffset? internalDate)
    {
        Posix.Chown(temporary, _uid, _gid);
        Posix.SetMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (internalDate is { } date)
        {
            File.SetLastWriteTimeUtc(temporary, date.UtcDateTime);
        }
        var sortedFlags = new string(flags.ToUpperInvariant().Distinct().Order().ToArray());
        var final = Path.Combine(folderPath, "cur", baseName + ":2," + sortedFlags);
        File.Move(temporary, final);
        return final;
    }

    // Dovecot orders new files by the time part and then the M (microseconds) part of the name; one fixed time and
    // an increasing M keep UIDs in the order messages were added.
    private static string UniqueName()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture,
            $"1700000000.M{sequence}P{Environment.ProcessId}.testbed");
    }

    private void CreateOwnedDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        Posix.CreatePrivateDirectory(path);
        Posix.Chown(path, _uid, _gid);
    }
}
