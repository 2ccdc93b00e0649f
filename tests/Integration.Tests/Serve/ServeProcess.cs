using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImapProxy.Integration.Tests.Published;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Serve;

/// <summary><c>imapproxy serve</c> as a real process on a config in a temp directory, with its stderr log captured.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    public const string LocalUser = "local";
    public const string LocalPassword = "local-secret";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>The local IMAP port.</summary>
    public int Port { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes the config and starts serve; returns once the local server accepts a login.</summary>
    public static async Task<ServeProcess> StartAsync(string directory, int upstreamPort, string extraArgs = "", string accountLines = "")
    {
        var port = FreePort();
        var config = Path.Combine(directory, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [general]
            statedir = state
            maildir = mail
            listen = 127.0.0.1:{port}
            loglevel = debug

            [account test]
            host = 127.0.0.1
            port = {upstreamPort}
            tls = none
            user = alice
            password = secret
            localuser = {LocalUser}
            localpassword = {LocalPassword}
            {accountLines}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var start = ImapProxyExecutable.Start("serve", "-c", config);
        foreach (var arg in extraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            start.ArgumentList.Add(arg);
        var serve = new ServeProcess(Process.Start(start)!, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var probe = await RawImapConnection.ConnectAsync("127.0.0.1", port);
                return serve;
            }
            catch (Exception e) when (e is SocketException or IOException && DateTime.UtcNow < deadline && !serve._process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (Exception e)
            {
                await serve.DisposeAsync();
                throw new InvalidOperationException($"serve did not start: {e.Message}\n{serve.Log}");
            }
        }
    }

    /// <summary>A logged-in local connection.</summary>
    public async Task<RawImapConnection> LoginAsync()
    {
        var connection = await RawImapConnection.ConnectAsync("127.0.0.1", Port);
        var login = await connection.CommandAsync($"LOGIN {LocalUser} {LocalPassword}");
        Assert.True(login.IsOk, login.Completion);
        return connection;
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        await _process.ExitWithinAsync(() => $"imapproxy serve to exit after SIGTERM; its log:\n{Log}", timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.ReapAsync();
        }
        _process.Dispose();
    }
}

/// <summary>Small IMAP helpers over <see cref="RawImapConnection"/>.</summary>
internal static class Imap
{
    public static string Message(string id, string subject) =>
        $"From: a@example.org\r\nTo: b@example.org\r\nMessage-ID: <{id}@example.org>\r\nSubject: {subject}\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n\r\nbody of {subject}\r\n";

    /// <summary>APPEND with a non-synchronizing literal (both Dovecot and our server have LITERAL+).</summary>
    public static async Task AppendAsync(RawImapConnection connection, string folder, string message, string flags = "")
    {
        var result = await connection.CommandAsync($"APPEND {folder} {(flags.Length > 0 ? $"({flags}) " : "")}{{{Encoding.ASCII.GetByteCount(message)}+}}\r\n{message}");
        Assert.True(result.IsOk, result.Completion);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(50);
        }
        return await condition();
    }

    /// <summary>The Message-IDs' subjects in a folder, via a fresh SELECT (EXAMINE).</summary>
    public static async Task<List<string>> SubjectsAsync(RawImapConnection connection, string folder)
    {
        var examine = await connection.CommandAsync($"EXAMINE {folder}");
        Assert.True(examine.IsOk, examine.Completion);
        var fetch = await connection.CommandAsync("UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
        return fetch.Untagged.Select(l => l.Split("Subject: ", 2) is [_, var s] ? s.Split("\r\n")[0].Trim() : null)
            .OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The flags of the message with <paramref name="subject"/> in a folder.</summary>
    public static async Task<string?> FlagsOfAsync(RawImapConnection connection, string folder, string subject)
    {
        await connection.CommandAsync($"EXAMINE {folder}");
        var search = await connection.CommandAsync($"UID SEARCH SUBJECT \"{subject}\"");
        var uid = search.Untagged.Single(l => l.StartsWith("* SEARCH", StringComparison.Ordinal)).Split(' ').Skip(2).FirstOrDefault();
        if (uid is null)
            return null;
        var fetch = await connection.CommandAsync($"UID FETCH {uid} (FLAGS)");
        return fetch.Untagged.FirstOrDefault(l => l.Contains("FLAGS", StringComparison.Ordinal));
    }
}
