namespace ImapProxy.Store;

/// <summary>Base of every error the store reports on purpose; the server turns these into <c>NO</c>.</summary>
public class MailStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailStoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A folder name that is not allowed (escapes the mirror, control characters, reserved names, ...).</summary>
public sealed class InvalidFolderNameException : MailStoreException
{
    /// <summary>Creates the exception for <paramref name="folderName"/>.</summary>
    public InvalidFolderNameException(string folderName, string reason)
        : base($"Invalid folder name \"{Sanitize(folderName)}\": {reason}") => Reason = reason;

    /// <summary>Why the name was refused.</summary>
    public string Reason { get; }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}

/// <summary>The folder does not exist (or was deleted or renamed meanwhile).</summary>
public sealed class FolderNotFoundException(string folderName)
    : MailStoreException($"No such folder: {folderName}")
{
    /// <summary>The folder asked for.</summary>
    public string FolderName { get; } = folderName;
}

/// <summary>A folder with that name already exists.</summary>
public sealed class FolderExistsException(string folderName)
    : MailStoreException($"Folder already exists: {folderName}")
{
    /// <summary>The folder asked for.</summary>
    public string FolderName { get; } = folderName;
}

/// <summary>The message with that UID is not (or no longer) in the folder.</summary>
public sealed class MessageNotFoundException(uint uid, Exception? inner = null)
    : MailStoreException($"No message with UID {uid}", inner)
{
    /// <summary>The UID asked for.</summary>
    public uint Uid { get; } = uid;
}

/// <summary>The file system refused (disk full, permission denied, ...); nothing was recorded in the index.</summary>
public sealed class StoreIOException(string message, Exception inner) : MailStoreException(message, inner);
