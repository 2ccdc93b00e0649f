namespace ImapProxy.Tests.Cli;

/// <summary>Every command has --help that lists its options, on stdout, with exit code 0.</summary>
public sealed class HelpTests
{
    public static TheoryData<string, string[]> Commands => new()
    {
        { "serve", ["-c, --config <FILE>", "--offline", "--trace <WHAT>", "--log-level <LEVEL>", "$IMAPPROXY_CONFIG"] },
        { "sync", ["-c, --config <FILE>", "-a, --account <ACCOUNT,…>", "-f, --folder <FOLDER,…>", "--dry-run",
            "--allow-mass-delete", "-q, --quiet", "--trace <WHAT>"] },
        { "status", ["-c, --config <FILE>", "sync state"] },
        { "check", ["-c, --config <FILE>", "Validate the configuration"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_help_lists_its_options(string command, string[] expected)
    {
        foreach (var flag in new[] { "--help", "-h" })
        {
            var result = await CliHarness.RunAsync([command, flag]);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("", result.Error);
            Assert.Contains($"imapproxy {command} [options]", result.Out);
            foreach (var text in expected)
                Assert.Contains(text, result.Out);
        }
    }

    [Fact]
    public async Task Status_and_check_do_not_offer_sync_options()
    {
        var result = await CliHarness.RunAsync(["status", "--help"]);
        Assert.DoesNotContain("--dry-run", result.Out);
        Assert.DoesNotContain("--offline", result.Out);
    }

    [Fact]
    public async Task Root_help_lists_the_commands_and_exit_codes()
    {
        var result = await CliHarness.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "serve", "sync", "status", "check" })
            Assert.Matches($@"\n  {command} +\S", result.Out);
        Assert.Contains("78 configuration", result.Out);
    }
}
