using System.Diagnostics;
using ImapProxy.Cli;
using ImapProxy.TestSupport;

namespace ImapProxy.Tests.Service;

/// <summary>
/// contrib/imapproxy.service: its keys say what the README promises, and <c>systemd-analyze verify</c> (installed
/// by scripts/install-deps) accepts it as a user unit with the executable where the install steps put it.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitPath = Repository.PathOf("contrib/imapproxy.service");

    [Fact]
    public void The_unit_runs_serve_restarts_on_failure_and_logs_to_the_journal()
    {
        var unit = ParseUnit(File.ReadAllText(UnitPath));
        Assert.Equal("%h/.local/bin/imapproxy serve", Single(unit, "Service", "ExecStart"));
        Assert.Equal("on-failure", Single(unit, "Service", "Restart"));
        Assert.Equal("journal", Single(unit, "Service", "StandardOutput"));
        Assert.Equal("journal", Single(unit, "Service", "StandardError"));
        Assert.Equal("SIGTERM", Single(unit, "Service", "KillSignal"));
        Assert.Equal("default.target", Single(unit, "Install", "WantedBy"));
        // serve answers SIGTERM with a graceful stop and exit code 130: that is success to systemd, not a crash.
        Assert.Equal([ExitCodes.Interrupted.ToString()], Single(unit, "Service", "SuccessExitStatus").Split(' '));
        // A broken command line or config does not heal by restarting.
        Assert.Equal(new[] { ExitCodes.Usage, ExitCodes.Config }.Select(c => c.ToString()),
            Single(unit, "Service", "RestartPreventExitStatus").Split(' '));
        Assert.Contains("Description", unit["Unit"].Keys);
    }

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        using var home = new TempHome();
        var result = await home.VerifyAsync(UnitPath);
        Assert.True(result.ExitCode == 0 && result.Output.Length == 0,
            $"systemd-analyze verify: exit {result.ExitCode}\n{result.Output}");
    }

    [Fact]
    public async Task Systemd_analyze_verify_would_catch_a_broken_unit()
    {
        // The check above only means something if verify complains about mistakes; it exits 0 on unknown keys
        // and bad values, and says so on stderr, hence the empty-output assertion there.
        using var home = new TempHome();
        var broken = Path.Combine(home.Root, "imapproxy.service");
        File.WriteAllText(broken, File.ReadAllText(UnitPath)
            .Replace("Restart=on-failure", "Restart=sometimes")
            .Replace("ExecStart=%h/.local/bin/imapproxy", "ExecStart=%h/.local/bin/imapproxy-missing"));
        var result = await home.VerifyAsync(broken);
        Assert.Contains("restart specifier", result.Output);
        Assert.Contains("imapproxy-missing is not executable", result.Output);
    }

    private static string Single(Dictionary<string, Dictionary<string, List<string>>> unit, string section, string key) =>
        Assert.Single(unit[section][key]);

    /// <summary>systemd's unit syntax as far as this file uses it: sections, key=value, comments.</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> ParseUnit(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, List<string>>>();
        Dictionary<string, List<string>>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections[line[1..^1]] = new Dictionary<string, List<string>>();
                continue;
            }
            var eq = line.IndexOf('=');
            Assert.True(current is not null && eq > 0, $"not a unit line: {line}");
            var key = line[..eq].Trim();
            if (!current!.TryGetValue(key, out var values))
                current[key] = values = [];
            values.Add(line[(eq + 1)..].Trim());
        }
        return sections;
    }

    /// <summary>A home directory with the executable installed as the README says, and a runtime dir for --user.</summary>
    private sealed class TempHome : IDisposable
    {
        public TempHome()
        {
            Root = Directory.CreateTempSubdirectory("imapproxy-unit-").FullName;
            var bin = Directory.CreateDirectory(Path.Combine(Root, "home/.local/bin")).FullName;
            var apphost = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "imapproxy");
            Assert.True(File.Exists(apphost), $"no apphost at {apphost}");
            File.CreateSymbolicLink(Path.Combine(bin, "imapproxy"), apphost);
            Directory.CreateDirectory(Path.Combine(Root, "run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Root { get; }

        public async Task<(int ExitCode, string Output)> VerifyAsync(string unitFile)
        {
            var start = new ProcessStartInfo("systemd-analyze")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Root,
            };
            foreach (var arg in new[] { "--user", "verify", unitFile })
                start.ArgumentList.Add(arg);
            start.Environment["HOME"] = Path.Combine(Root, "home");
            start.Environment["XDG_RUNTIME_DIR"] = Path.Combine(Root, "run");
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("systemd-analyze is missing: run scripts/install-deps (package systemd)", e);
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
            }
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
