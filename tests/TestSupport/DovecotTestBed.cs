using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImapProxy.TestSupport;

/// <summary>
/// A throwaway Dovecot (2.3) on 127.0.0.1 and a free port, with its config, sockets, state, log and mail in one
/// temporary directory that is removed on dispose. Mail lives in Maildir++ under <c>DIR/mail/&lt;user&gt;</c>, owned by the
/// unprivileged <c>vmail</c> user (created by scripts/install-deps). Needs root, as Dovecot's privilege separation does.
/// Many may run in parallel; at most <see cref="MaxConcurrentInstances"/> per test process at once (the rest wait).
/// </summary>
public sealed class DovecotTestBed : IAsyncDisposable
{
    /// <summary>How many test beds one process runs at once; each is about six processes.</summary>
    public const int MaxConcurrentInstances = 12;

    private const string MailUser = "vmail";
    private static readonly SemaphoreSlim Slots = new(MaxConcurrentInstances);
    private static readonly ConcurrentDictionary<DovecotTestBed, byte> Running = new();
    private readonly uint _uid;
    private readonly uint _gid;
    private int _masterPid;
    private int _disposed;

    static DovecotTestBed()
    {
        // A test run that ends without disposing (crash, Ctrl-C) must not leave Dovecots behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var bed in Running.Keys)
            {
                var pid = bed._masterPid > 0 ? bed._masterPid : bed.ReadMasterPid();
                if (pid > 0)
                {
                    Posix.Kill(pid, Posix.SigTerm);
                }
            }
        };
    }

    private DovecotTestBed(string directory, DovecotOptions options, uint uid, uint gid)
    {
        Directory = directory;
        Options = options;
        _uid = uid;
        _gid = gid;
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The IMAP (cleartext) port.</summary>
    public int Port { get; private set; }

    /// <summary>The implicit-TLS (imaps) port when <see cref="DovecotOptions.Tls"/> is set; else 0.</summary>
    public int TlsPort { get; private set; }

    /// <summary>The self-signed certificate Dovecot presents when <see cref="DovecotOptions.Tls"/> is set; else null.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; private set; }

    /// <summary>The temporary directory holding everything of this instance.</summary>
    public string Directory { get; }

    /// <summary>The dovecot.conf of this instance (pass to <c>doveadm -c</c>).</summary>
    public string ConfigPath => Path.Combine(Directory, "dovecot.conf");

    /// <summary>Dovecot's log file.</summary>
    public string LogPath => Path.Combine(Directory, "dovecot.log");

    /// <summary>The options it was started with.</summary>
    public DovecotOptions Options { get; }

    /// <summary>The first configured user.</summary>
    public DovecotUser DefaultUser => Options.Users[0];

    /// <summary>Starts a Dovecot and waits until its greeting arrives.</summary>
    /// <param name="options">Users, hidden capabilities, separator; defaults to one user alice/secret.</param>
    /// <param name="seed">Called after the mail directories exist and before Dovecot starts, to pre-load mail.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DovecotTestBed> StartAsync(
        DovecotOptions? options = null, Func<DovecotTestBed, Task>? seed = null, CancellationToken cancellationToken = default)
    {
        options ??= new DovecotOptions();
        Validate(options);
        if (Posix.GetEffectiveUserId() != 0)
        {
            throw new InvalidOperationException("DovecotTestBed needs root: Dovecot drops privileges to the vmail user.");
        }
        var (uid, gid) = Posix.LookupUser(MailUser)
            ?? throw new InvalidOperationException($"no '{MailUser}' user: run scripts/install-deps");

        // A test that never disposes its beds would otherwise make every later one wait here forever.
        if (!await Slots.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken))
        {
            throw new TimeoutException(
                $"no Dovecot test bed slot came free in 3 minutes: {MaxConcurrentInstances} are running (a test not disposing its beds?)");
        }
        DovecotTestBed? bed = null;
        try
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("imapproxy-dovecot-").FullName;
            // Dovecot's unprivileged processes must traverse it.
            Posix.SetMode(directory, (UnixFileMode)0b111_101_101);
            bed = new DovecotTestBed(directory, options, uid, gid);
            bed.CreateLayout();
            if (seed is not null)
            {
                await seed(bed);
            }
            await bed.LaunchAsync(cancellationToken);
            return bed;
        }
        catch
        {
            if (bed is not null)
            {
                await bed.DisposeAsync();
            }
            else
            {
                Slots.Release();
            }
            throw;
        }
    }

    /// <summary>A writer into <paramref name="user"/>'s Maildir (default: <see cref="DefaultUser"/>).</summary>
    public MaildirSeeder Maildir(string? user = null) =>
        new(Path.Combine(Directory, "mail", user ?? DefaultUser.Name), Options.Separator, _uid, _gid);

    /// <summary>Opens a raw connection to this instance (greeting already read).</summary>
    public Task<RawImapConnection> ConnectAsync(CancellationToken cancellationToken = default) =>
        RawImapConnection.ConnectAsync(Host, Port, cancellationToken);

    /// <summary>Runs <c>doveadm -c &lt;config&gt; args...</c> and returns its standard output; throws if it fails.</summary>
    public async Task<string> DoveadmAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("doveadm", ["-c", ConfigPath, .. arguments]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"doveadm {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
        return result.StandardOutput;
    }

    /// <summary>The last lines of Dovecot's log, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        if (!File.Exists(LogPath))
        {
            return "(no log)";
        }
        var all = File.ReadAllLines(LogPath);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Stops Dovecot by its PID (SIGTERM, then SIGKILL) and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            Running.TryRemove(this, out _);
            if (_masterPid == 0)
            {
                _masterPid = ReadMasterPid();
            }
            if (_masterPid > 0)
            {
                await StopAsync(_masterPid);
            }
            // Dovecot's imap processes may still be writing index files just after the master exits: retry.
            for (var attempt = 1; attempt <= 10 && System.IO.Directory.Exists(Directory); attempt++)
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (IOException)
                {
                    await Task.Delay(50 * attempt);
                }
            }
        }
        finally
        {
            Slots.Release();
        }
    }

    private static void Validate(DovecotOptions options)
    {
        if (options.Users.Count == 0)
        {
            throw new ArgumentException("at least one user is needed", nameof(options));
        }
        foreach (var user in options.Users)
        {
            if (user.Name.Length == 0 || (user.Name + user.Password).IndexOfAny([':', '\n', '\r']) >= 0 || user.Name.Contains('/'))
            {
                throw new ArgumentException($"user '{user.Name}': names and passwords may not contain ':', '/' or line breaks");
            }
        }
        if (options.Separator is not ('.' or '/'))
        {
            throw new ArgumentException("separator must be '.' or '/'", nameof(options));
        }
    }

    private void CreateLayout()
    {
        var passwd = new StringBuilder();
        foreach (var user in Options.Users)
        {
            passwd.Append(CultureInfo.InvariantCulture, $"{user.Name}:{{PLAIN}}{user.Password}\n");
            Maildir(user.Name).EnsureFolder("INBOX");
            var home = Path.Combine(Directory, "home", user.Name);
            System.IO.Directory.CreateDirectory(home);
            Posix.Chown(home, _uid, _gid);
        }
        if (Options.Tls)
        {
            Certificate = TestCertificate.WritePem(Path.Combine(Directory, "cert.pem"), Path.Combine(Directory, "key.pem"));
        }
        // Read by Dovecot's auth process; the passwords are throwaway.
        File.WriteAllText(Path.Combine(Directory, "passwd"), passwd.ToString());
        Posix.SetMode(Path.Combine(Directory, "passwd"), (UnixFileMode)0b110_100_100);
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        // Another process may grab the free port before Dovecot binds it: retry with a new one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            TlsPort = Options.Tls ? FreePort() : 0;
            await File.WriteAllTextAsync(ConfigPath, DovecotConfig.Render(Directory, Port, TlsPort, _uid, _gid, Options), cancellationToken);
            // The daemon inherits the starter's stdio: pipes would then never reach end-of-file, so its start-up
            // output goes to a file instead.
            var startLog = Path.Combine(Directory, "start.log");
            var result = await ProcessRunner.RunAsync(
                "/bin/sh", ["-c", "exec dovecot -c \"$1\" </dev/null >\"$2\" 2>&1", "sh", ConfigPath, startLog],
                cancellationToken: cancellationToken);
            if (result.ExitCode == 0)
            {
                break;
            }
            var error = (await File.ReadAllTextAsync(startLog, cancellationToken) + "\n" + LogTail()).Trim();
            if (attempt < 5 && error.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }
            throw new InvalidOperationException($"dovecot failed to start (exit {result.ExitCode}):\n{error}");
        }
        Running[this] = 0;
        await WaitForGreetingAsync(cancellationToken);
    }

    // The starter returns before the forked master has written master.pid, so the PID is picked up while waiting.
    private async Task WaitForGreetingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (_masterPid == 0 && (_masterPid = ReadMasterPid()) == 0)
                {
                    await Task.Delay(10, cancellationToken);
                    continue;
                }
                await using var connection = await RawImapConnection.ConnectAsync(Host, Port, cancellationToken);
                if (connection.Greeting.StartsWith("* OK", StringComparison.Ordinal))
                {
                    return;
                }
                last = new InvalidOperationException($"unexpected greeting: {connection.Greeting}");
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                last = e;
            }
            await Task.Delay(25, cancellationToken);
        }
        throw new InvalidOperationException($"Dovecot on port {Port} sent no greeting ({last?.Message}). Log:\n{LogTail()}");
    }

    private int ReadMasterPid()
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Directory, "run", "master.pid")).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task StopAsync(int pid)
    {
        if (!Posix.Kill(pid, Posix.SigTerm))
        {
            return;
        }
        for (var i = 0; i < 200 && Posix.IsAlive(pid); i++)
        {
            await Task.Delay(25);
        }
        if (Posix.IsAlive(pid))
        {
            Posix.Kill(pid, Posix.SigKill);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
