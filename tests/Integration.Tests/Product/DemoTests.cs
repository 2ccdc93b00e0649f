using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Product;

/// <summary>
/// scripts/demo end to end: it starts, Python's imaplib and neomutt (driven in tmux, over IMAP and on the Maildir)
/// read the demo's mail through it, and Ctrl-C (SIGINT) leaves nothing running.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DemoTests
{
    private const string WelcomeSubject = "Welcome to the ImapProxy demo";
    private const int PerFolder = 12;

    [Fact]
    public async Task The_demo_serves_mail_to_imaplib_and_neomutt_and_Ctrl_C_stops_everything()
    {
        var root = Directory.CreateTempSubdirectory("imapproxy-demotest-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // Dovecot runs as vmail below it
        var dir = Path.Combine(root, "demo");
        var port = FreePort();
        var demo = DemoProcess.Start(dir, port);
        try
        {
            await demo.WaitForAsync("demo: ready", TimeSpan.FromMinutes(4));
            var env = ReadEnv(Path.Combine(dir, "demo.env"));
            Assert.Equal(port.ToString(), env["PORT"]);

            // Python's imaplib through the proxy.
            var imaplib = await ProcessRunner.RunAsync("python3",
                [Path.Combine(AppContext.BaseDirectory, "clients", "imaplib_demo.py"), "127.0.0.1", env["PORT"], env["USER"], env["PASSWORD"], WelcomeSubject]);
            Assert.True(imaplib.ExitCode == 0, $"imaplib failed:\n{imaplib.StandardOutput}\n{imaplib.StandardError}\n{demo.Output}");
            using var json = JsonDocument.Parse(imaplib.StandardOutput);
            var folders = json.RootElement.GetProperty("folders").EnumerateArray().Select(f => f.GetString()!).ToArray();
            Assert.Equal(["Archive", "INBOX", "Junk", "Lists"], folders);
            var counts = json.RootElement.GetProperty("counts");
            Assert.Equal(PerFolder + 1, counts.GetProperty("INBOX").GetInt32()); // the corpus share and the welcome
            foreach (var folder in new[] { "Archive", "Junk", "Lists" })
                Assert.Equal(PerFolder, counts.GetProperty(folder).GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("found").GetInt32());
            Assert.Equal($"Subject: {WelcomeSubject}", json.RootElement.GetProperty("header").GetString());
            Assert.Contains("through the proxy", json.RootElement.GetProperty("body").GetString());

            // neomutt in tmux: over IMAP at the proxy's port, then on the Maildir mirror directly.
            await using (var tmux = await TmuxSession.StartAsync($"neomutt -n -F {Path.Combine(dir, "muttrc-imap")}"))
            {
                var screen = await tmux.WaitForScreenAsync(s => s.Contains(WelcomeSubject), TimeSpan.FromSeconds(60));
                Assert.Contains("Welcome", screen);
                Assert.Contains($"INBOX", screen); // the status line names the mailbox
                await tmux.QuitAsync("q");
            }
            await using (var tmux = await TmuxSession.StartAsync($"neomutt -n -F {Path.Combine(dir, "muttrc-maildir")}"))
            {
                var screen = await tmux.WaitForScreenAsync(s => s.Contains(WelcomeSubject), TimeSpan.FromSeconds(60));
                Assert.Contains(env["MIRROR"], screen); // the status line shows the Maildir path, not an IMAP URL
                await tmux.QuitAsync("q");
            }

            // Ctrl-C: the demo stops serve and Dovecot and ends; nothing it started is left.
            var servePid = int.Parse(env["SERVE_PID"]);
            var dovecotPid = int.Parse(env["DOVECOT_PID"]);
            Assert.True(Processes.IsAlive(servePid) && Processes.IsAlive(dovecotPid));
            var exitCode = await demo.InterruptAsync(TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 130, $"exit code {exitCode}\n{demo.Output}");
            Assert.Contains("demo: stopped", demo.Output);
            Assert.False(Processes.IsAlive(servePid), "imapproxy serve is still running");
            Assert.False(Processes.IsAlive(dovecotPid), "the demo's Dovecot is still running");
            Assert.False(await IsListeningAsync(port), $"port {port} still accepts connections");
            // Whatever the recorded PIDs say: no process at all may still run with the demo's directory in its command line.
            Assert.Empty(Processes.Mentioning(dir));
            Assert.False(await IsListeningAsync(int.Parse(env["UPSTREAM_PORT"])), "the upstream port still accepts connections");
        }
        finally
        {
            await demo.DisposeAsync();
            DemoProcess.StopLeftovers(dir);
            await DeleteAsync(root);
        }
    }

    /// <summary>Deletes the test's directory, retrying while exiting processes (Dovecot's children) finish writing.</summary>
    private static async Task DeleteAsync(string root)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ReadEnv(string path) =>
        File.ReadAllLines(path).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>scripts/demo as a child process, its output collected.</summary>
    private sealed class DemoProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private DemoProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_output)
                    return _output.ToString();
            }
        }

        public static DemoProcess Start(string dir, int port)
        {
            // A shell cannot trap a signal that was ignored when it started, and a test run launched as a background
            // job (nohup, `&` in a script, some CI runners) hands SIGINT down ignored: the script would never see the
            // Ctrl-C this test sends. A terminal gives it SIGINT at its default, so the test does the same.
            var start = new ProcessStartInfo("env")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Repository.Root,
            };
            foreach (var arg in new[] { "--default-signal=INT", "bash", Repository.PathOf("scripts/demo"), "--port", port.ToString(), "--dir", dir,
                         "--limit", PerFolder.ToString(), "--no-install", "--no-build" })
                start.ArgumentList.Add(arg);
            // The imapproxy built with this test project, rather than a second build of it.
            start.Environment["IMAPPROXY_DLL"] = Path.Combine(AppContext.BaseDirectory, "imapproxy.dll");
            var demo = new DemoProcess(Process.Start(start)!);
            demo._process.OutputDataReceived += (_, e) => demo.Append(e.Data);
            demo._process.ErrorDataReceived += (_, e) => demo.Append(e.Data);
            demo._process.BeginOutputReadLine();
            demo._process.BeginErrorReadLine();
            return demo;
        }

        private void Append(string? line)
        {
            if (line is null)
                return;
            lock (_output)
                _output.AppendLine(line);
        }

        public async Task WaitForAsync(string line, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(line + "\n"))
            {
                if (_process.HasExited)
                    throw new Xunit.Sdk.XunitException($"scripts/demo exited with {_process.ExitCode} before '{line}':\n{Output}");
                if (DateTime.UtcNow > deadline)
                    throw new Xunit.Sdk.XunitException($"no '{line}' from scripts/demo within {timeout}:\n{Output}");
                await Task.Delay(200);
            }
        }

        /// <summary>What Ctrl-C does: SIGINT to the script; returns its exit code.</summary>
        public async Task<int> InterruptAsync(TimeSpan timeout)
        {
            Processes.Kill(_process.Id, 2);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"scripts/demo still running {timeout} after Ctrl-C:\n{Output}");
            }
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                Processes.Kill(_process.Id, 15); // the script's trap stops what it started
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }

        /// <summary>After a failure: whatever the script's trap did not stop, stop it here by its recorded PIDs.</summary>
        public static void StopLeftovers(string dir)
        {
            var envPath = Path.Combine(dir, "demo.env");
            if (File.Exists(envPath))
            {
                var env = ReadEnv(envPath);
                if (env.TryGetValue("SERVE_PID", out var serve) && Processes.IsAlive(int.Parse(serve)))
                    Processes.Kill(int.Parse(serve), 9);
            }
            var master = Path.Combine(dir, "upstream", "run", "master.pid");
            if (File.Exists(master) && int.TryParse(File.ReadAllText(master).Trim(), out var pid) && Processes.IsAlive(pid))
                Processes.Kill(pid, 9);
        }
    }

    /// <summary>A detached tmux session running one program, killed on dispose whatever happened.</summary>
    private sealed class TmuxSession : IAsyncDisposable
    {
        private readonly string _name = $"imapproxy-demotest-{Guid.NewGuid():N}";

        public static async Task<TmuxSession> StartAsync(string command)
        {
            var session = new TmuxSession();
            await session.TmuxAsync("new-session", "-d", "-s", session._name, "-x", "160", "-y", "40", command);
            return session;
        }

        public async Task<string> WaitForScreenAsync(Func<string, bool> ready, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            var screen = "";
            while (DateTime.UtcNow < deadline)
            {
                screen = (await TmuxAsync("capture-pane", "-p", "-t", _name)).StandardOutput;
                if (ready(screen))
                    return screen;
                await Task.Delay(300);
            }
            throw new Xunit.Sdk.XunitException($"tmux screen never got ready within {timeout}:\n{screen}");
        }

        public async Task QuitAsync(string keys)
        {
            await TmuxAsync("send-keys", "-t", _name, keys);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (DateTime.UtcNow < deadline && (await ProcessRunner.RunAsync("tmux", ["has-session", "-t", _name])).ExitCode == 0)
                await Task.Delay(200);
        }

        private async Task<ProcessRunner.Result> TmuxAsync(params string[] args)
        {
            var result = await ProcessRunner.RunAsync("tmux", args);
            Assert.True(result.ExitCode == 0, $"tmux {string.Join(' ', args)}: {result.StandardError}");
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            // Quitting normally ends the session; this catches a failed test that left neomutt running.
            await ProcessRunner.RunAsync("tmux", ["kill-session", "-t", _name]);
        }
    }

    /// <summary>Signals and liveness by PID (a zombie, dead but not yet reaped, counts as gone).</summary>
    private static class Processes
    {
        public static void Kill(int pid, int signal)
        {
            if (pid <= 0)
                throw new ArgumentOutOfRangeException(nameof(pid), "never signal a process group");
            _ = NativeKill(pid, signal);
        }

        /// <summary>Processes whose command line contains <paramref name="text"/>, as "pid: command line".</summary>
        public static List<string> Mentioning(string text)
        {
            var found = new List<string>();
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId)
                    continue;
                try
                {
                    var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                    if (commandLine.Contains(text) && IsAlive(pid))
                        found.Add($"{pid}: {commandLine}");
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours to read.
                }
            }
            return found;
        }

        public static bool IsAlive(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
        private static extern int NativeKill(int pid, int signal);
    }
}
