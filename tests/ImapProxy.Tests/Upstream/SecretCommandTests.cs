using System.Diagnostics;
using ImapProxy.Upstream.Auth;

namespace ImapProxy.Tests.Upstream;

/// <summary>passwordcommand/tokencommand: success, failure, silence, timeout, cancellation.</summary>
public sealed class SecretCommandTests
{
    private const string Label = "passwordcommand of [account personal]";

    private static Task<string> Run(string command, double timeoutSeconds = 10) =>
        SecretCommand.RunAsync(command, Label, TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);

    [Fact]
    public async Task Returns_the_first_line_trimmed()
    {
        Assert.Equal("s3cret pass", await Run("printf '  s3cret pass \\t\\nlogin: me\\nurl: x\\n'"));
    }

    [Fact]
    public async Task Runs_through_the_shell()
    {
        Assert.Equal("ab", await Run("A=a; B=b; echo \"$A$B\" | cat"));
    }

    [Fact]
    public async Task Failure_names_the_exit_code_but_not_the_output()
    {
        var e = await Assert.ThrowsAsync<SecretCommandException>(
            () => Run("echo leaked-secret; echo leaked-error >&2; exit 3"));
        Assert.Equal($"{Label} failed with exit code 3 (output not shown)", e.Message);
        Assert.DoesNotContain("leaked", e.ToString());
    }

    [Fact]
    public async Task Empty_output_is_an_error()
    {
        var e = await Assert.ThrowsAsync<SecretCommandException>(() => Run("printf '\\n\\n'"));
        Assert.Equal($"{Label} exited with code 0 but printed nothing", e.Message);
    }

    [Fact]
    public async Task Standard_input_is_closed_so_a_reading_command_does_not_hang()
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<SecretCommandException>(() => Run("cat", timeoutSeconds: 20));
        Assert.Contains("printed nothing", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_hanging_command_is_killed_at_the_timeout()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"imapproxy-secret-{Guid.NewGuid():N}");
        var e = await Assert.ThrowsAsync<SecretCommandException>(
            () => Run($"sleep 2; touch {marker}; echo late", timeoutSeconds: 0.3));
        Assert.Equal($"{Label} did not finish within 0.3 s and was killed", e.Message);

        // Had the shell survived the kill, it would create the marker after its sleep.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.False(File.Exists(marker), "the command kept running after the timeout");
    }

    [Fact]
    public async Task A_background_child_holding_stdout_open_does_not_outlive_the_timeout()
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<SecretCommandException>(() => Run("sleep 3 & echo x", timeoutSeconds: 0.5));
        Assert.Contains("did not finish within 0.5 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_is_not_reported_as_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => SecretCommand.RunAsync("sleep 10", Label, TimeSpan.FromSeconds(30), cts.Token));
    }

    [Fact]
    public async Task Output_is_bounded()
    {
        // 1 MB on one line: only MaxOutputBytes are kept, and the command still finishes normally.
        var secret = await Run("head -c 1000000 /dev/zero | tr '\\0' 'x'");
        Assert.Equal(SecretCommand.MaxOutputBytes, secret.Length);
    }

    [Fact]
    public async Task Secret_source_runs_the_command_each_time()
    {
        var counter = Path.Combine(Path.GetTempPath(), $"imapproxy-count-{Guid.NewGuid():N}");
        var source = SecretSource.Command($"echo x >> {counter}; wc -l < {counter}", Label);
        Assert.Equal("1", await source.ResolveAsync(CancellationToken.None));
        Assert.Equal("2", await source.ResolveAsync(CancellationToken.None));
        File.Delete(counter);
        Assert.DoesNotContain("echo", SecretSource.Literal("hunter2", "password").ToString());
        Assert.DoesNotContain("hunter2", SecretSource.Literal("hunter2", "password").ToString());
    }
}
