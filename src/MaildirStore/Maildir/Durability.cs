using System.Runtime.InteropServices;

namespace ImapProxy.Store.Maildir;

/// <summary>fsync for directories (.NET offers it only for files), so a rename survives a crash.</summary>
internal static partial class Durability
{
    /// <summary>Flushes a directory's entries to disk; a rename is durable only after this.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        int fd = Native.open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Native.fsync(fd) != 0)
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    /// <summary>Hard link, for COPY without copying the bytes; false if the file system refuses.</summary>
    public static bool TryHardLink(string existing, string newPath) =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Native.link(existing, newPath) == 0;

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int link(string existing, string newPath);
    }
}
