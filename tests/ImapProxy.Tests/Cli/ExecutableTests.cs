using System.Diagnostics;
using ImapProxy.Cli;
using ImapProxy.Hosting;

namespace ImapProxy.Tests.Cli;

/// <summary>The built imapproxy executable, run as a separate process.</summary>
public sealed class ExecutableTests
{
    private static async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Help_and_usage_errors_from_the_real_executable()
    {
        var help = await RunProcessAsync(new Dictionary<string, string>(), "sync", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("imapproxy sync [options]", help.Out);
        Assert.Contains("--allow-mass-delete", help.Out);

        var bad = await RunProcessAsync(new Dictionary<string, string>(), "serve", "--nope");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Single(bad.ErrorLines);
    }

    [Fact]
    public async Task Config_errors_and_environment_config_path_from_the_real_executable()
    {
        using var config = CliHarness.ValidConfig();
        var environment = new Dictionary<string, string>
        {
            ["IMAPPROXY_CONFIG"] = config.Path,
            ["IMAPPROXY__ACCOUNT__personal__PORT"] = "100000",
        };
        var result = await RunProcessAsync(environment, "check");
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        Assert.Equal(["imapproxy: IMAPPROXY__ACCOUNT__personal__PORT: key 'port' must be a whole number from 1 to 65535, not '100000'"],
            result.ErrorLines);

        environment = CliHarness.ClosedUpstream(environment);
        result = await RunProcessAsync(environment, "check");
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains($"[account personal] me@example.org at 127.0.0.1:{environment["IMAPPROXY__ACCOUNT__personal__PORT"]} (tls none)", result.Out);
        Assert.StartsWith("imapproxy: [account personal] upstream unreachable: cannot connect to 127.0.0.1:", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task A_second_process_refuses_the_state_directory_this_process_holds()
    {
        using var config = CliHarness.ValidConfig();
        var stateDir = Path.Combine(config.Directory, "state");
        await using (await StateLock.AcquireAsync(stateDir, CancellationToken.None))
        {
            var result = await RunProcessAsync(new Dictionary<string, string>(), "sync", "-c", config.Path);
            Assert.Equal(ExitCodes.TempFail, result.ExitCode);
            Assert.Equal([$"imapproxy: another imapproxy (pid {Environment.ProcessId}) is already using state directory "
                          + $"{stateDir} (lock {stateDir}/lock); stop it first"], result.ErrorLines);
        }

        var free = await RunProcessAsync(new Dictionary<string, string>(), "sync", "-c", config.Path);
        Assert.Equal(ExitCodes.Unavailable, free.ExitCode);
    }
}
