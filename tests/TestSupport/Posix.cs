using System.Runtime.InteropServices;

namespace ImapProxy.TestSupport;

/// <summary>The few POSIX calls .NET lacks: chown, and sending a signal other than SIGKILL.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", SetLastError = true, EntryPoint = "chown")]
    private static extern int NativeChown(string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int NativeKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint GetEffectiveUserId();

    // The test beds are Linux-only; these guards keep the platform analyzer (CA1416) away from every caller.
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static void Chown(string path, uint uid, uint gid)
    {
        if (NativeChown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends <paramref name="signal"/>; false when the process no longer exists.</summary>
    public static bool Kill(int pid, int signal) =>
        pid > 0 ? NativeKill(pid, signal) == 0 : throw new ArgumentOutOfRangeException(nameof(pid), "never signal a process group");

    /// <summary>True while a process with this id exists (signal 0 probes without sending anything).</summary>
    public static bool IsAlive(int pid) => pid > 0 && NativeKill(pid, 0) == 0 && !IsZombie(pid);

    // A daemon reparented to an init that does not reap (some containers) lingers as a zombie: it is gone all the same.
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Looks up a user's uid and gid in /etc/passwd (the test beds only need local system users).</summary>
    public static (uint Uid, uint Gid)? LookupUser(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name)
            {
                return (uint.Parse(fields[2]), uint.Parse(fields[3]));
            }
        }
        return null;
    }
}
