using System.Runtime.InteropServices;
using System.Text;

namespace ImapProxy.Store.Maildir;

/// <summary>
/// One inotify instance per account, watching the new/ and cur/ of every open folder (Linux only).
/// Unlike <see cref="FileSystemWatcher"/>, its queue can be drained on demand: once a rename has returned, its event
/// is in the kernel's queue, so <see cref="Drain"/> gives every change made before the call. A folder that trusts
/// this can apply the events directly instead of listing a 100,000-entry directory. A background thread drains the
/// queue as events arrive, so subscribers hear of other writers' changes without a client asking.
/// </summary>
internal sealed partial class DirectoryWatcher : IDisposable
{
    private const uint InMovedFrom = 0x40, InMovedTo = 0x80, InCreate = 0x100, InDelete = 0x200;
    private const uint InDeleteSelf = 0x400, InMoveSelf = 0x800, InUnmount = 0x2000, InQueueOverflow = 0x4000, InIgnored = 0x8000;
    private const uint InOnlyDir = 0x01000000, InIsDir = 0x40000000;
    private const uint WatchMask = InMovedFrom | InMovedTo | InCreate | InDelete | InDeleteSelf | InMoveSelf | InOnlyDir;
    private const int InNonBlock = 0x800, InCloseOnExec = 0x80000;
    private const int EAgain = 11, EIntr = 4;

    private readonly int _fd;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (DirectoryEvents Target, bool IsNew)> _watches = [];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private volatile bool _disposed;

    private DirectoryWatcher(int fd)
    {
        _fd = fd;
        new Thread(PollLoop) { IsBackground = true, Name = "imapproxy-inotify" }.Start();
    }

    /// <summary>A watcher, or null where inotify is not available (not Linux, or the instance limit is reached).</summary>
    public static DirectoryWatcher? TryCreate()
    {
        if (!OperatingSystem.IsLinux()) return null;
        int fd = Native.inotify_init1(InNonBlock | InCloseOnExec);
        return fd < 0 ? null : new DirectoryWatcher(fd);
    }

    /// <summary>Watches <paramref name="directory"/>; its events go to <paramref name="target"/>. False if refused (watch limit).</summary>
    public bool TryAdd(string directory, DirectoryEvents target, bool isNew, out int watch)
    {
        lock (_lock)
        {
            watch = _disposed ? -1 : Native.inotify_add_watch(_fd, directory, WatchMask);
            // The same directory watched twice (a symlinked folder) shares one wd: leave the second to its mtime checks.
            if (watch < 0 || _watches.ContainsKey(watch)) return false;
            _watches[watch] = (target, isNew);
            return true;
        }
    }

    /// <summary>Stops watching (the folder closed).</summary>
    public void Remove(int watch)
    {
        lock (_lock)
        {
            if (_disposed || !_watches.Remove(watch)) return;
            _ = Native.inotify_rm_watch(_fd, watch);
        }
    }

    /// <summary>Moves every event queued in the kernel so far to its folder's <see cref="DirectoryEvents"/>.</summary>
    public void Drain()
    {
        HashSet<DirectoryEvents>? woken = null;
        lock (_lock)
        {
            if (_disposed) return;
            while (true)
            {
                int n = Read();
                if (n == 0) break;
                if (n < 0)
                {
                    foreach (var (target, _) in _watches.Values) target.MarkOverflowed(); // cannot read: trust nothing
                    break;
                }
                Dispatch(n, ref woken);
            }
        }
        if (woken is null) return;
        foreach (var target in woken) target.Wake();
    }

    private unsafe int Read()
    {
        while (true)
        {
            nint n;
            fixed (byte* p = _buffer) n = Native.read(_fd, p, _buffer.Length);
            if (n >= 0) return (int)n;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAgain) return 0;
            if (errno != EIntr) return -1;
        }
    }

    /// <summary>Parses <c>struct inotify_event</c> records: wd, mask, cookie, len, then a NUL-padded name.</summary>
    private void Dispatch(int length, ref HashSet<DirectoryEvents>? woken)
    {
        var span = _buffer.AsSpan(0, length);
        while (span.Length >= 16)
        {
            int wd = MemoryMarshal.Read<int>(span);
            uint mask = MemoryMarshal.Read<uint>(span[4..]);
            int nameLength = (int)MemoryMarshal.Read<uint>(span[12..]);
            var nameBytes = span.Slice(16, nameLength);
            span = span[(16 + nameLength)..];
            if ((mask & InQueueOverflow) != 0)
            {
                foreach (var (t, _) in _watches.Values) { t.MarkOverflowed(); (woken ??= []).Add(t); }
                continue;
            }
            if (!_watches.TryGetValue(wd, out var watch)) continue;
            if ((mask & (InDeleteSelf | InMoveSelf | InUnmount | InIgnored)) != 0)
            {
                watch.Target.MarkBroken();
                if ((mask & InIgnored) != 0) _watches.Remove(wd);
            }
            else if ((mask & InIsDir) == 0)
            {
                int end = nameBytes.IndexOf((byte)0);
                string name = Encoding.UTF8.GetString(end < 0 ? nameBytes : nameBytes[..end]);
                watch.Target.Add(new DirectoryEvent(name, watch.IsNew));
            }
            (woken ??= []).Add(watch.Target);
        }
    }

    private void PollLoop()
    {
        try
        {
            while (!_disposed)
            {
                var pollFd = new Native.PollFd { Fd = _fd, Events = 1 /* POLLIN */ };
                // A timeout, so a disposal is noticed: closing an fd does not wake a thread polling it.
                int ready = Native.poll(ref pollFd, 1, 500);
                if (ready > 0 && !_disposed) Drain();
            }
        }
        finally
        {
            lock (_lock) _ = Native.close(_fd);
        }
    }

    /// <summary>Stops the background thread, which closes the inotify instance within half a second.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _watches.Clear();
        }
    }

    private static partial class Native
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            public int Fd;
            public short Events;
            public short ReturnedEvents;
        }

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int inotify_init1(int flags);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int inotify_add_watch(int fd, string path, uint mask);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int inotify_rm_watch(int fd, int watch);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint read(int fd, byte* buffer, nint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int poll(ref PollFd fds, nuint count, int timeout);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);
    }
}

/// <summary>One file-name event in a folder's new/ or cur/: the name appeared or went away (which, the folder checks).</summary>
internal readonly record struct DirectoryEvent(string Name, bool IsNew);

/// <summary>
/// A folder's share of the watcher's events, collected until the folder takes them under its own lock. Overflowed
/// (events lost) and broken (a directory itself moved or deleted) tell the folder to fall back to listing.
/// </summary>
internal sealed class DirectoryEvents(Action wake)
{
    private readonly Lock _lock = new();
    private List<DirectoryEvent> _events = [];
    private bool _overflowed;
    private volatile bool _broken;

    /// <summary>True once a watched directory was moved, deleted or unmounted: events no longer tell everything.</summary>
    public bool Broken => _broken;

    public void Add(DirectoryEvent e)
    {
        lock (_lock) if (!_overflowed) _events.Add(e);
    }

    public void MarkOverflowed()
    {
        lock (_lock)
        {
            _overflowed = true;
            _events = [];
        }
    }

    public void MarkBroken() => _broken = true;

    public void Wake() => wake();

    /// <summary>The events so far, and whether some were lost since the last take.</summary>
    public List<DirectoryEvent> Take(out bool overflowed)
    {
        lock (_lock)
        {
            overflowed = _overflowed;
            _overflowed = false;
            var taken = _events;
            _events = [];
            return taken;
        }
    }
}
