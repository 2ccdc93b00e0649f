using ImapProxy.TestSupport;

namespace ImapProxy.Bench.SyncPeers;

/// <summary>mbsync 1.4 (Debian isync) with its defaults, or with <c>FSync no</c>.</summary>
/// <param name="fsync">False writes <c>FSync no</c>, the setting mbsync users turn on for speed.</param>
public sealed class MbsyncPeer(bool fsync) : SyncPeer
{
    /// <inheritdoc />
    public override string Name => fsync ? "mbsync" : "mbsync FSync-no";

    private string ConfigPath => Path.Combine(WorkPath, "mbsyncrc");

    /// <inheritdoc />
    protected override Task WriteConfigAsync(UpstreamAccount upstream) =>
        File.WriteAllTextAsync(ConfigPath, $"""
            {(fsync ? "" : "FSync no")}
            IMAPAccount bench
            Host {upstream.Host}
            Port {upstream.Port}
            User {upstream.User}
            Pass {upstream.Password}
            SSLType None
            AuthMechs LOGIN

            IMAPStore far
            Account bench

            MaildirStore near
            Inbox {MirrorPath}
            SubFolders Maildir++

            Channel bench
            Far :far:
            Near :near:
            Patterns *
            Create Both
            Expunge Both
            SyncState *

            """);

    /// <inheritdoc />
    public override (string FileName, IReadOnlyList<string> Arguments) SyncCommand() =>
        ("mbsync", ["-q", "-c", ConfigPath, "-a"]);
}

/// <summary>offlineimap3 (Debian offlineimap3) with its defaults.</summary>
public sealed class OfflineImapPeer : SyncPeer
{
    /// <inheritdoc />
    public override string Name => "offlineimap3";

    private string ConfigPath => Path.Combine(WorkPath, "offlineimaprc");

    /// <inheritdoc />
    protected override Task WriteConfigAsync(UpstreamAccount upstream) =>
        File.WriteAllTextAsync(ConfigPath, $"""
            [general]
            accounts = bench
            metadata = {WorkPath}/metadata
            ui = quiet

            [Account bench]
            localrepository = local
            remoterepository = remote

            [Repository local]
            type = Maildir
            localfolders = {MirrorPath}

            [Repository remote]
            type = IMAP
            remotehost = {upstream.Host}
            remoteport = {upstream.Port}
            remoteuser = {upstream.User}
            remotepass = {upstream.Password}
            ssl = no
            starttls = no

            """);

    /// <inheritdoc />
    public override (string FileName, IReadOnlyList<string> Arguments) SyncCommand() =>
        ("offlineimap", ["-c", ConfigPath, "-u", "quiet"]);
}

/// <summary><c>imapproxy sync</c>, started through its app host as a user would.</summary>
/// <param name="executable">The <c>imapproxy</c> app host: a published build (<see cref="PublishAsync"/>) or the one next to this benchmark.</param>
public sealed class ImapProxyPeer(string executable) : SyncPeer
{
    /// <summary>
    /// Publishes imapproxy into <paramref name="directory"/> as the README installs it (<c>dotnet publish -c Release</c>:
    /// self-contained, trimmed, composite ReadyToRun) and returns its app host: start-up is most of a no-op sync, so the benchmark
    /// measures what users run rather than the JIT-only build output.
    /// </summary>
    public static async Task<string> PublishAsync(string directory)
    {
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", Repository.PathOf("src/ImapProxy"), "-c", "Release", "-o", directory, "-v", "quiet", "-nologo"],
            timeout: TimeSpan.FromMinutes(20)); // a composite ReadyToRun publish took 2 min on an idle machine here
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        return Path.Combine(directory, "imapproxy");
    }

    /// <inheritdoc />
    public override string Name => "imapproxy";

    private string ConfigPath => Path.Combine(WorkPath, "config.ini");

    /// <inheritdoc />
    protected override async Task WriteConfigAsync(UpstreamAccount upstream)
    {
        await File.WriteAllTextAsync(ConfigPath, $"""
            [general]
            maildir = {WorkPath}/accounts
            statedir = {WorkPath}/state
            listen = 127.0.0.1:0

            [account bench]
            host = {upstream.Host}
            port = {upstream.Port}
            tls = none
            user = {upstream.User}
            password = {upstream.Password}
            localuser = bench
            localpassword = bench-local

            """);
        // The mirror lives at <maildir>/<account>; point the counting at it.
        File.CreateSymbolicLink(Path.Combine(WorkPath, "mail"), Path.Combine(WorkPath, "accounts", "bench"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <inheritdoc />
    public override (string FileName, IReadOnlyList<string> Arguments) SyncCommand() =>
        (executable, ["sync", "-q", "-c", ConfigPath]);
}
