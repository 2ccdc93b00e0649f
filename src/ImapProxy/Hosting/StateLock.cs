using System.Globalization;
using System.Text;

namespace ImapProxy.Hosting;

/// <summary>
/// Keeps a second <c>serve</c> or <c>sync</c> off the same state directory. The lock is an OS lock on
/// <c>&lt;statedir&gt;/lock</c> (a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>, which .NET
/// implements with <c>flock(LOCK_EX)</c> on Unix), so the kernel releases it when the process dies, even by
/// <c>kill -9</c>; a stale lock file is harmless. The holder's PID goes to <c>&lt;statedir&gt;/lock.pid</c> for the
/// refusal message, since the locked file itself cannot be read by another .NET process.
/// </summary>
public sealed class StateLock : IAsyncDisposable
{
    /// <summary>The lock file's name inside the state directory.</summary>
    public const string FileName = "lock";

    /// <summary>The file naming the holder's PID.</summary>
    public const string PidFileName = "lock.pid";

    private readonly FileStream _stream;
    private readonly string _pidPath;

    private StateLock(FileStream stream, string pidPath)
    {
        _stream = stream;
        _pidPath = pidPath;
    }

    /// <summary>The locked file's path.</summary>
    public string LockPath => _stream.Name;

    /// <summary>Takes the lock on <paramref name="stateDirectory"/>, creating the directory (mode 700) if needed.</summary>
    /// <exception cref="StateLockException">Another process holds the lock, or the directory is unusable.</exception>
    public static async Task<StateLock> AcquireAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(stateDirectory, FileName);
        var pidPath = Path.Combine(stateDirectory, PidFileName);
        try
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(stateDirectory);
            else
                Directory.CreateDirectory(stateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateLockException($"cannot create state directory {stateDirectory}: {e.Message}");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StateLockException($"cannot lock state directory {stateDirectory}: {e.Message}");
        }
        catch (IOException)
        {
            // FileShare.None failing on an existing file means another process holds the flock.
            var holder = await ReadPidAsync(pidPath, cancellationToken).ConfigureAwait(false);
            var who = holder is null ? "another imapproxy" : $"another imapproxy (pid {holder})";
            throw new StateLockException(
                $"{who} is already using state directory {stateDirectory} (lock {lockPath}); stop it first");
        }

        try
        {
            // A few bytes each, written at once: the async file API would hop to the thread pool for each, which costs
            // more than the writes (every sync and serve starts here).
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            stream.SetLength(0);
            stream.Write(pid);
            stream.Flush();
            File.WriteAllBytes(pidPath, pid);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new StateLock(stream, pidPath);
    }

    /// <summary>Releases the lock and removes the PID file.</summary>
    public async ValueTask DisposeAsync()
    {
        // Remove the PID file first: once the lock is released, the next holder writes its own.
        try
        {
            File.Delete(_pidPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover PID file is only cosmetic: the lock itself is what counts.
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<int?> ReadPidAsync(string pidPath, CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(pidPath, cancellationToken).ConfigureAwait(false);
            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The state directory is locked by another process or cannot be locked; the message is one line.</summary>
public sealed class StateLockException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateLockException(string message) : base(message)
    {
    }
}
