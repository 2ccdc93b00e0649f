using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImapProxy.Bench;

/// <summary>
/// The real <c>imapproxy serve</c> in its own process (its own runtime settings, its own memory), serving one
/// account whose mirror is <c>&lt;maildir&gt;/bench</c>. Its RSS is read from /proc, as top would show it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string User = "bench";
    public const string Password = "bench-secret";
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>The Maildir of the account for a mirror root given to <see cref="StartAsync"/>.</summary>
    public static string AccountMaildir(string maildirRoot) => Path.Combine(maildirRoot, "bench");

    /// <summary>
    /// Starts <c>imapproxy serve</c>: the given app host (a published build), or else the build output next to this
    /// benchmark through <c>dotnet imapproxy.dll</c>.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string work, string maildirRoot, string? executable = null)
    {
        int port = FreePort();
        string config = Path.Combine(work, "imapproxy.ini");
        await File.WriteAllTextAsync(config, $"""
            [general]
            maildir = {maildirRoot}
            statedir = {Path.Combine(work, "state")}
            listen = 127.0.0.1:{port}
            loglevel = {Environment.GetEnvironmentVariable("IMAPPROXY_BENCH_LOGLEVEL") ?? "warning"}

            [account bench]
            host = 127.0.0.1
            tls = none
            user = nobody
            password = unused
            localuser = {User}
            localpassword = {Password}
            """);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite); // no warning about a readable password file
        }
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (executable is null)
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imapproxy.dll"));
        foreach (var argument in new[] { "serve", "-c", config })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start imapproxy");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("// imapproxy: " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("// imapproxy: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port);
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"imapproxy serve exited with {process.ExitCode}");
            }
            try
            {
                await (await WireClient.ConnectAsync(port)).DisposeAsync();
                return server;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
                // not listening yet
            }
        }
    }

    /// <summary>Resident set size of the server process (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes() => ReadRss(_process.Id);

    public static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
