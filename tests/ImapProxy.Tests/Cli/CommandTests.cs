using ImapProxy.Cli;
using ImapProxy.Configuration;
using ImapProxy.Hosting;
using ImapProxy.Tests.Configuration;
using ImapProxy.TestSupport;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Tests.Cli;

/// <summary>Parsing, config loading, error lines and exit codes of the commands, run in-process.</summary>
public sealed class CommandTests
{
    private const string WorkAccount =
        "[account work]\nhost = w\nuser = u\npassword = p\nlocaluser = work\nlocalpassword = l\n";

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync([]);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["imapproxy: no command given: use serve, sync, status or check (see 'imapproxy --help')"],
            result.ErrorLines);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("sync --bogus", "imapproxy: Unrecognized command or argument '--bogus'. (see 'imapproxy sync --help')")]
    [InlineData("frobnicate", "imapproxy: Unrecognized command or argument 'frobnicate'. (see 'imapproxy --help')")]
    [InlineData("serve --trace smtp", "imapproxy: Argument 'smtp' not recognized. Must be one of: 'imap' (see 'imapproxy serve --help')")]
    [InlineData("serve --log-level loud",
        "imapproxy: Argument 'loud' not recognized. Must be one of: 'trace' 'debug' 'info' 'warn' 'error' 'critical' 'none' (see 'imapproxy serve --help')")]
    [InlineData("check -c", "imapproxy: Required argument missing for option: '-c'. (see 'imapproxy check --help')")]
    public async Task Bad_command_lines_fail_with_one_line_and_exit_code_2(string commandLine, string expected)
    {
        var runners = new RecordingRunners();
        var result = await CliHarness.RunAsync(commandLine.Split(' '), services: runners.AsServices());
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal([expected], result.ErrorLines);
        Assert.Null(runners.Serve);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("sync")]
    [InlineData("status")]
    [InlineData("check")]
    public async Task Config_errors_stop_every_command_before_it_runs(string command)
    {
        using var config = new TempConfig(TempConfig.MinimalAccount + "\nprot = 993\n");
        var runners = new RecordingRunners();
        var result = await CliHarness.RunAsync([command, "--config", config.Path], config.Environment, runners.AsServices());
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        Assert.Equal([$"imapproxy: {config.Path}:7: key 'prot' is not known in [account personal]"], result.ErrorLines);
        Assert.Equal((null, null, null, null), (runners.Serve, runners.Sync, runners.Status, runners.Check));
    }

    [Fact]
    public async Task Config_path_defaults_to_IMAPPROXY_CONFIG_then_the_home_directory()
    {
        using var config = CliHarness.ValidConfig();
        var runners = new RecordingRunners();
        config.Environment["IMAPPROXY_CONFIG"] = config.Path;
        var result = await CliHarness.RunAsync(["status"], config.Environment, runners.AsServices());
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(config.Path, runners.Status!.Config.SourcePath);

        config.Environment.Remove("IMAPPROXY_CONFIG");
        result = await CliHarness.RunAsync(["status"], config.Environment, runners.AsServices());
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        var expectedPath = Path.Combine(config.Home, ".config/imapproxy/config.ini");
        Assert.StartsWith($"imapproxy: {expectedPath}: cannot read the configuration file:", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Sync_passes_its_options_to_the_sync_runner()
    {
        using var config = CliHarness.ValidConfig(WorkAccount);
        var runners = new RecordingRunners { Behaviour = _ => Task.FromResult(7) };
        var result = await CliHarness.RunAsync(
            ["sync", "-c", config.Path, "-a", "work,personal", "-f", "INBOX,Sent", "-f", "Archive", "--dry-run",
             "--allow-mass-delete", "-q", "--trace", "imap", "--log-level", "debug"],
            config.Environment, runners.AsServices());

        Assert.Equal(7, result.ExitCode);
        var sync = runners.Sync!;
        Assert.Equal(["work", "personal"], sync.Accounts.Select(a => a.Name));
        Assert.Equal(["INBOX", "Sent", "Archive"], sync.Folders);
        Assert.True(sync.DryRun && sync.AllowMassDelete && sync.Quiet);
        Assert.Equal(TraceTargets.Imap, sync.Trace);
        Assert.Equal(LogLevel.Debug, sync.LogLevel);
    }

    [Fact]
    public async Task Sync_without_options_takes_every_active_account_and_safe_defaults()
    {
        using var config = CliHarness.ValidConfig(WorkAccount);
        var runners = new RecordingRunners();
        await CliHarness.RunAsync(["sync", "-c", config.Path], config.Environment, runners.AsServices());
        var sync = runners.Sync!;
        Assert.Equal(["personal", "work"], sync.Accounts.Select(a => a.Name));
        Assert.Empty(sync.Folders);
        Assert.False(sync.DryRun || sync.AllowMassDelete || sync.Quiet);
        Assert.Equal(TraceTargets.None, sync.Trace);
    }

    [Fact]
    public async Task Sync_with_an_unknown_account_fails_with_one_line()
    {
        using var config = CliHarness.ValidConfig(WorkAccount);
        var runners = new RecordingRunners();
        var result = await CliHarness.RunAsync(["sync", "-c", config.Path, "-a", "personal,home"],
            config.Environment, runners.AsServices());
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["imapproxy: sync: unknown account 'home' in -a (active accounts: personal, work)"], result.ErrorLines);
        Assert.Null(runners.Sync);
    }

    [Fact]
    public async Task Serve_passes_its_options_and_takes_the_log_level_from_the_file_by_default()
    {
        using var config = CliHarness.ValidConfig();
        config.Environment["IMAPPROXY__GENERAL__LOGLEVEL"] = "warn";
        var runners = new RecordingRunners();
        var result = await CliHarness.RunAsync(["serve", "-c", config.Path, "--offline", "--trace", "imap"],
            config.Environment, runners.AsServices());
        Assert.Equal(0, result.ExitCode);
        var serve = runners.Serve!;
        Assert.True(serve.Offline);
        Assert.Equal(TraceTargets.Imap, serve.Trace);
        Assert.Equal(LogLevel.Warning, serve.LogLevel);
        Assert.Equal(Path.Combine(config.Directory, "state"), serve.Config.General.StateDir);
    }

    [Fact]
    public async Task Sync_with_the_upstream_unreachable_exits_69_with_host_port_and_the_reason()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nobody listens there now: connection refused
        using var config = new TempConfig($"[general]\nstatedir = state\nmaildir = mail\n{TempConfig.MinimalAccount.Replace("host = imap.example.org", $"host = 127.0.0.1\nport = {port}\ntls = none")}\n");
        var result = await CliHarness.RunAsync(["sync", "-c", config.Path], config.Environment);
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"imapproxy: personal: upstream unreachable: cannot connect to 127.0.0.1:{port}: ", line);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("sync")]
    public async Task Serve_and_sync_refuse_a_locked_state_directory_with_exit_code_75(string command)
    {
        using var config = CliHarness.ValidConfig();
        var stateDir = Path.Combine(config.Directory, "state");
        await using var held = await StateLock.AcquireAsync(stateDir, CancellationToken.None);
        var runners = new RecordingRunners();
        var result = await CliHarness.RunAsync([command, "-c", config.Path], config.Environment, runners.AsServices());
        Assert.Equal(ExitCodes.TempFail, result.ExitCode);
        Assert.Equal([$"imapproxy: another imapproxy (pid {Environment.ProcessId}) is already using state directory "
                      + $"{stateDir} (lock {stateDir}/lock); stop it first"], result.ErrorLines);
        Assert.Equal((null, null), (runners.Serve, runners.Sync));

        // status and check only read, so they run while serve holds the lock.
        Assert.Equal(0, (await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, runners.AsServices())).ExitCode);
        var check = await CliHarness.RunAsync(["check", "-c", config.Path], CliHarness.ClosedUpstream(config.Environment));
        Assert.Equal(ExitCodes.Unavailable, check.ExitCode); // it ran, and found nothing listening upstream
        Assert.Contains("configuration is valid", check.Out);
    }

    [Fact]
    public async Task The_lock_is_released_when_the_command_ends()
    {
        using var config = CliHarness.ValidConfig();
        var runners = new RecordingRunners();
        Assert.Equal(0, (await CliHarness.RunAsync(["sync", "-c", config.Path], config.Environment, runners.AsServices())).ExitCode);
        await using var again = await StateLock.AcquireAsync(Path.Combine(config.Directory, "state"), CancellationToken.None);
    }

    [Fact]
    public async Task Check_runs_password_commands_and_reports_failures_without_their_output()
    {
        using var config = new TempConfig();
        config.Write(TempConfig.MinimalAccount.Replace("password = secret", "passwordcommand = echo fine") + "\n"
                     + WorkAccount.Replace("password = p", "passwordcommand = echo oops-secret; exit 4"));
        var environment = CliHarness.ClosedUpstream(config.Environment);
        var port = environment["IMAPPROXY__ACCOUNT__personal__PORT"];
        var result = await CliHarness.RunAsync(["check", "-c", config.Path], environment);
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        Assert.Contains("passwordcommand of [account personal]: ok", result.Out);
        // personal's secret resolves, so it is tried upstream; work's does not, so it is not.
        Assert.Equal([$"imapproxy: [account personal] upstream unreachable: cannot connect to 127.0.0.1:{port}: Connection refused (ConnectionRefused)",
                      "imapproxy: passwordcommand of [account work] failed with exit code 4 (output not shown)"], result.ErrorLines);
        Assert.DoesNotContain("oops-secret", result.Out + result.Error);

        config.Write(TempConfig.MinimalAccount.Replace("password = secret", "passwordcommand = echo fine"));
        result = await CliHarness.RunAsync(["check", "-c", config.Path], environment);
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains($"{config.Path}: configuration is valid", result.Out);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task A_world_readable_config_warns_on_stderr_but_runs()
    {
        using var config = CliHarness.ValidConfig();
        File.SetUnixFileMode(config.Path, File.GetUnixFileMode(config.Path) | UnixFileMode.OtherRead);
        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"imapproxy: warning: {config.Path} holds 'password' and 'localpassword' but group or others can read it; run: chmod 600 {config.Path}"],
            result.ErrorLines);
    }

    [Fact]
    public async Task A_crashing_component_gives_one_line_and_exit_code_1()
    {
        using var config = CliHarness.ValidConfig();
        var runners = new RecordingRunners { Behaviour = _ => throw new InvalidOperationException("boom\nsecond line") };
        var result = await CliHarness.RunAsync(["status", "-c", config.Path], config.Environment, runners.AsServices());
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(["imapproxy: internal error: InvalidOperationException: boom second line"], result.ErrorLines);
    }

    [Fact]
    public async Task Cancellation_ends_serve_with_exit_code_130()
    {
        using var config = CliHarness.ValidConfig();
        var runners = new RecordingRunners
        {
            Behaviour = async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            },
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var result = await CliHarness.RunAsync(["serve", "-c", config.Path], config.Environment, runners.AsServices(), cts.Token)
            .WithinAsync("serve to end once its token is cancelled");
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Equal(["imapproxy: interrupted"], result.ErrorLines);
    }
}
